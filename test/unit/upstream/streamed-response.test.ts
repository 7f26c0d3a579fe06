/**
 * requestStreamed against a real loopback server: chunks in order as they arrive, backpressure that
 * loses nothing, errors and aborts before and after the headers, and destroy() reaching the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestStreamed, type ChunkReader } from '../../../main/server/upstream/streamed-response';
import { startScriptedServer, type ScriptedServer } from '../../support/scripted-server';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const open = (signal = new AbortController().signal, statuses: (number | 'error')[] = []) =>
  requestStreamed(
    server.agent,
    { origin: server.origin, path: '/s', method: 'POST', body: '{}' },
    signal,
    (s) => statuses.push(s),
  );

async function readAll(body: ChunkReader): Promise<string> {
  let text = '';
  for (let step = await body.next(); !step.done; step = await body.next()) text += step.value.toString();
  return text;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('requestStreamed', () => {
  it('resolves at the headers and hands over the chunks in order as they come', async () => {
    server.answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.write('data: 2\n\n'), 30);
      setTimeout(() => res.end('data: 3\n\n'), 60);
    };
    const statuses: (number | 'error')[] = [];
    const res = await open(undefined, statuses);
    expect(res.statusCode).toBe(200);
    expect(statuses).toEqual([200]);
    const first = await res.body.next();
    expect(first.value?.toString()).toBe('data: 1\n\n');
    expect(await readAll(res.body)).toBe('data: 2\n\ndata: 3\n\n');
    expect((await res.body.next()).done).toBe(true);
  });

  it('loses nothing when the reader is slower than the server (backpressure)', async () => {
    const parts = Array.from(
      { length: 400 },
      (_, i) => `${String(i).padStart(4, '0')}:${'x'.repeat(2000)}\n`,
    );
    server.answer = (res) => {
      res.writeHead(200);
      let i = 0;
      const pump = () => {
        while (i < parts.length) if (!res.write(parts[i++])) return void res.once('drain', pump);
        res.end();
      };
      pump();
    };
    const res = await open();
    await tick(100); // let it queue up and pause
    expect(await readAll(res.body)).toBe(parts.join(''));
  });

  it('gives the body of an error answer as text', async () => {
    server.answer = (res) =>
      res.writeHead(429, { 'content-type': 'application/json' }).end('{"error":{"code":429}}');
    const res = await open();
    expect(res.statusCode).toBe(429);
    await expect(res.body.text()).resolves.toBe('{"error":{"code":429}}');
  });

  it('rejects the pending read when the connection is cut mid-answer', async () => {
    server.answer = (res) => {
      res.writeHead(200);
      res.write('data: 1\n\n');
      setTimeout(() => res.socket?.destroy(), 30);
    };
    const res = await open();
    expect((await res.body.next()).value?.toString()).toBe('data: 1\n\n');
    await expect(res.body.next()).rejects.toMatchObject({
      code: expect.stringMatching(/^UND_ERR/) as unknown,
    });
  });

  it("rejects with the signal's reason: before the headers, and on the pending read after them", async () => {
    const early = new AbortController();
    server.answer = () => setTimeout(() => early.abort(new Error('client gone early')), 20);
    const statuses: (number | 'error')[] = [];
    await expect(open(early.signal, statuses)).rejects.toThrow('client gone early');
    expect(statuses).toEqual(['error']);

    const late = new AbortController();
    server.answer = (res) => {
      res.writeHead(200);
      res.write('data: 1\n\n');
      setTimeout(() => late.abort(new Error('client gone')), 20);
    };
    const res = await open(late.signal);
    await res.body.next();
    await expect(res.body.next()).rejects.toThrow('client gone');
  });

  it('destroy() aborts the upstream request', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    server.answer = (res) => {
      res.writeHead(200);
      res.write('data: 1\n\n');
      res.on('close', () => closed());
    };
    const res = await open();
    await res.body.next();
    res.body.destroy();
    await serverSawClose;
    await expect(res.body.next()).rejects.toThrow();
  });
});
