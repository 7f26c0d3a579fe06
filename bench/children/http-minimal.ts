/**
 * A reference, not a product: fastify-minimal.ts without fastify. The same mapping and the same
 * undici `request()` upstream, on bare node:http: the body collected and `JSON.parse`d by hand, the
 * reply `JSON.stringify`d by hand, no routing beyond one path check. `npm run bench:framework` runs
 * it beside fastify-minimal to separate what the framework costs from what converting costs — the
 * two JSON round trips that any OpenAI→Gemini gateway must make and the forwarder does not.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { listenAndReport } from './ipc';
import { minimalConfig, toCompletion, toGeminiBody, type MinimalChat } from './minimal-mapping';

const { upstream, keys, password } = minimalConfig();
const pool = new Pool(upstream, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });

let next = 0;
const server = createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  const fail = (status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: message }));
  };
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return fail(404, 'not found');
  if (req.headers.authorization !== `Bearer ${password}`) return fail(401, 'auth');
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const chat = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MinimalChat;
    pool
      .request({
        path: `/v1beta/models/${chat.model}:generateContent`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': keys[next++ % keys.length]! },
        body: toGeminiBody(chat),
      })
      .then((upstreamRes) => upstreamRes.body.text())
      .then(
        (answer) => {
          const body = JSON.stringify(toCompletion(chat, answer, next));
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(body);
        },
        (err: unknown) => fail(502, String(err)),
      );
  });
});
listenAndReport(server);
