/**
 * requestBuffered against a real loopback server: the whole body, decoded once (a character split
 * across chunks stays whole), the final status after a 1xx, undici's own errors, and aborts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestBuffered } from '../../../main/server/upstream/buffered-response';
import { startScriptedServer, type ScriptedServer } from '../../support/scripted-server';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());

const call = (
  signal = new AbortController().signal,
  statuses: (number | 'error')[] = [],
  headersTimeout = 5000,
) =>
  requestBuffered(
    server.agent,
    { origin: server.origin, path: '/x', method: 'POST', body: '{}', headersTimeout },
    signal,
    (status) => statuses.push(status),
  );

describe('requestBuffered', () => {
  it('returns the status and the whole body, a character split across chunks intact', async () => {
    const text = '你好, Gemini ✓';
    const bytes = Buffer.from(text);
    server.answer = (res) => {
      res.writeHead(201, { 'content-type': 'text/plain; charset=utf-8' });
      res.write(bytes.subarray(0, 1)); // the first byte of 你
      setTimeout(() => res.end(bytes.subarray(1)), 20);
    };
    const statuses: (number | 'error')[] = [];
    await expect(call(undefined, statuses)).resolves.toEqual({ statusCode: 201, text });
    expect(statuses).toEqual([201]);
  });

  it('reports the final status after an informational 1xx', async () => {
    server.answer = (res) => {
      res.writeProcessing();
      res.writeHead(200).end('done');
    };
    const statuses: (number | 'error')[] = [];
    await expect(call(undefined, statuses)).resolves.toEqual({ statusCode: 200, text: 'done' });
    expect(statuses).toEqual([200]);
  });

  it("rejects with undici's timeout error when headers do not come in time", async () => {
    // undici's timers tick about once a second, so the timeout fires after ~1 s, not after 100 ms.
    server.answer = (res) => setTimeout(() => res.end('late'), 3000);
    const statuses: (number | 'error')[] = [];
    await expect(call(undefined, statuses, 100)).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(statuses).toEqual(['error']);
  });

  it("rejects with the signal's reason when aborted mid-answer", async () => {
    const controller = new AbortController();
    server.answer = (res) => {
      res.writeHead(200);
      res.write('part');
      setTimeout(() => controller.abort(new Error('client disconnected')), 20);
    };
    await expect(call(controller.signal)).rejects.toThrow('client disconnected');
  });

  it('does not send anything when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    const before = server.requests;
    await expect(call(controller.signal)).rejects.toThrow('gone');
    expect(server.requests).toBe(before);
  });
});
