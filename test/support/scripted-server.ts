/**
 * A loopback HTTP server whose answer each test scripts: the request body is read to the end, then
 * `answer(res)` runs. For tests of the upstream clients' low-level reading, with real sockets.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

export interface ScriptedServer {
  origin: string;
  agent: Agent;
  /** How many requests arrived so far. */
  readonly requests: number;
  /** What the next requests get. */
  answer: (res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let requests = 0;
  const scripted = { answer: (res: ServerResponse) => void res.end() };
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => scripted.answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ keepAliveTimeout: 1000 });
  return Object.assign(scripted, {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agent,
    get requests() {
      return requests;
    },
    async close() {
      await agent.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}
