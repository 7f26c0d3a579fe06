/**
 * Usage, logs and the live log stream over the HTTP admin: usage after a few chats labelled with the
 * masked key and the access key's name (and what remains once they are gone), log paging and
 * clearing, and Server-Sent Events delivering a request's log line live, without CORS, with the
 * subscription gone once the viewer disconnects or the server closes.
 */
import { get, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../shared/admin-dto';
import { ADMIN_LOG_STREAM_PATH } from '../../shared/admin-transport';
import { keyIdOf } from '../../main/server/keys/key-pool';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { errorOf, rawCall, signIn, type AdminClient } from './admin-http-client';

const ADMIN = 'Admin-Password-1';
const OTHER = 'AIzaFAKE-valid-key-0002';

let fake: FakeGemini;
let gw: TestGateway;
let client: AdminClient;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: { [DEFAULT_FAKE_KEY]: 'valid', [OTHER]: 'valid' } });
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    settings: { adminPassword: ADMIN },
  });
  client = await signIn(gw.url, ADMIN);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const chat = (target: TestGateway, key: string, content = 'hi') =>
  fetch(`${target.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content }] }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });

interface Stream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Reads events until `done` accepts one (or the stream ends); returns all read so far. */
  until(done: (event: string) => boolean): Promise<string[]>;
  /** What arrived after the last complete event. */
  rest(): string;
  close(): void;
}

/**
 * The stream over node:http rather than fetch: destroying the request closes its socket at once,
 * as a browser's EventSource.close() does (undici keeps spare connections the server then waits on).
 */
function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      const events: string[] = [];
      let wake = () => undefined as void;
      let ended = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          events.push(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
        wake();
      });
      res.on('close', () => {
        ended = true;
        wake();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        async until(done) {
          for (;;) {
            if (events.some(done) || ended) return [...events];
            await new Promise<void>((r) => (wake = r));
          }
        },
        rest: () => buffer,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe('getUsage', () => {
  it('counts chats per model, masked key and access key; gone keys keep their rows, named null', async () => {
    const { key: accessKey, record } = await client.admin.createAccessKey({ name: 'team' });
    for (let i = 0; i < 3; i++) expect(await chat(gw, gw.settings.get().password)).toBe(200);
    expect(await chat(gw, accessKey)).toBe(200);

    await vi.waitFor(async () => expect((await client.admin.getUsage('24h')).total.requests).toBe(4));
    const day = await client.admin.getUsage('24h');
    expect(day.series).toHaveLength(24);
    expect(day.series.reduce((n, b) => n + b.requests, 0)).toBe(4);
    expect(day.byModel).toEqual([
      expect.objectContaining({ model: 'gemini-2.5-flash', requests: 4, errors: 0 }),
    ]);
    expect(day.byKey).toEqual([
      expect.objectContaining({ keyId: keyIdOf(DEFAULT_FAKE_KEY), masked: 'AIza…0001', requests: 4 }),
    ]);
    expect(day.byAccessKey).toEqual([
      expect.objectContaining({ accessKeyId: record.id, name: 'team', requests: 1 }),
    ]);
    expect(day.total.promptTokens).toBeGreaterThan(0);
    // The same per hour for the charts, labelled like the tables (the key masked, never in full).
    expect(day.breakdown.model.requests).toEqual([
      expect.objectContaining({ id: 'gemini-2.5-flash', label: 'gemini-2.5-flash', total: 4 }),
    ]);
    expect(day.breakdown.key.requests).toEqual([
      expect.objectContaining({ id: keyIdOf(DEFAULT_FAKE_KEY), label: 'AIza…0001', other: false, total: 4 }),
    ]);
    expect(day.breakdown.key.requests[0]?.values).toHaveLength(24);
    expect(day.breakdown.key.tokens[0]?.total).toBe(day.total.promptTokens + day.total.completionTokens);
    expect(day.breakdown.accessKey.requests).toEqual([
      expect.objectContaining({ id: record.id, label: 'team', total: 1 }),
    ]);
    expect(JSON.stringify(day)).not.toContain(DEFAULT_FAKE_KEY);
    expect((await client.admin.getUsage('7d')).series).toHaveLength(7);
    expect((await client.admin.getUsage('30d')).total.requests).toBe(4);

    // The key replaced and the access key revoked: their history stays, named null — no English
    // words for the window to show in a Chinese table; it names them in its own language.
    await client.admin.addKeys(OTHER);
    await client.admin.removeKeys([keyIdOf(DEFAULT_FAKE_KEY)]);
    await client.admin.revokeAccessKey(record.id);
    const after = await client.admin.getUsage('24h');
    expect(after.byKey[0]).toMatchObject({ keyId: keyIdOf(DEFAULT_FAKE_KEY), masked: null });
    expect(after.byAccessKey[0]).toMatchObject({ accessKeyId: record.id, name: null });
    expect(after.breakdown.key.requests[0]?.label).toBeNull();
    expect(after.breakdown.accessKey.requests[0]?.label).toBeNull();
  });

  it('an unknown range → 400 naming it', async () => {
    const reply = await client.raw('GET', '/admin/api/usage?range=1y');
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('range');
  });
});

describe('getLogs / clearLogs', () => {
  it('returns entries oldest first, only the newer ones after an id, and empties on clear', async () => {
    expect(await chat(gw, gw.settings.get().password, 'for the log')).toBe(200);
    await vi.waitFor(async () =>
      expect((await client.admin.getLogs()).some((e) => e.request?.path === '/v1/chat/completions')).toBe(
        true,
      ),
    );
    const all = await client.admin.getLogs();
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));
    const last = all.at(-1)!;
    gw.core.log.info('after the last one');
    const newer = await client.admin.getLogs(last.id);
    expect(newer.map((e) => e.message)).toContain('after the last one');
    expect(newer.every((e) => e.id > last.id)).toBe(true);

    const cleared = await client.raw('DELETE', '/admin/api/logs');
    expect(cleared.status).toBe(204);
    // What is left: the clear itself, then the log line of the DELETE request.
    const left = await client.admin.getLogs();
    expect(left[0]?.message).toBe('admin: log cleared');
    expect(left[0]!.id).toBeGreaterThan(newer.at(-1)!.id);
    expect(left.some((e) => e.request?.path === '/v1/chat/completions')).toBe(false);
  });

  it('a bad `after` → 400 naming it', async () => {
    const reply = await client.raw('GET', '/admin/api/logs?after=yesterday');
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('after');
  });
});

describe('live log stream (SSE)', () => {
  it('needs the session (?token=); no CORS, even when asked cross-origin', async () => {
    const refused = await rawCall(gw.url, 'GET', ADMIN_LOG_STREAM_PATH, {
      headers: { origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(401);
    expect(errorOf(refused).code).toBe('admin_unauthorized');
    const forged = await rawCall(gw.url, 'GET', `${ADMIN_LOG_STREAM_PATH}?token=nope`);
    expect(forged.status).toBe(401);
  });

  it("delivers a request's log line live as `data: <LogEntry>`; the subscription ends with the viewer", async () => {
    const subscribe = gw.core.log.subscribe.bind(gw.core.log);
    let unsubscribed = 0;
    const spy = vi.spyOn(gw.core.log, 'subscribe').mockImplementation((listener) => {
      const off = subscribe(listener);
      return () => {
        unsubscribed++;
        return off();
      };
    });
    const stream = await openStream(
      `${gw.url}${ADMIN_LOG_STREAM_PATH}?token=${encodeURIComponent(client.token)}`,
      {
        origin: 'https://evil.example',
      },
    );
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['access-control-allow-origin']).toBeUndefined();
      expect(spy).toHaveBeenCalledTimes(1);

      expect(await chat(gw, gw.settings.get().password, 'watched live')).toBe(200);
      const events = await stream.until((event) => event.includes('/v1/chat/completions'));
      const line = events.find((event) => event.includes('/v1/chat/completions'))!;
      expect(line.startsWith('data: ')).toBe(true);
      expect(line.split('\n')).toHaveLength(1);
      const entry = JSON.parse(line.slice('data: '.length)) as LogEntry;
      expect(entry).toMatchObject({
        level: 'info',
        request: { method: 'POST', path: '/v1/chat/completions', status: 200, model: 'gemini-2.5-flash' },
      });
      expect(gw.core.log.recent()).toContainEqual(entry);
      expect(unsubscribed).toBe(0);
    } finally {
      stream.close();
      spy.mockRestore();
    }
    await vi.waitFor(() => expect(unsubscribed).toBe(1));
  });

  it('an open stream ends when the server closes, so closing does not wait for the viewer', async () => {
    const other = await startGateway({ upstreamUrl: fake.url, keys: [], settings: { adminPassword: ADMIN } });
    const viewer = await signIn(other.url, ADMIN);
    const stream = await openStream(
      `${other.url}${ADMIN_LOG_STREAM_PATH}?token=${encodeURIComponent(viewer.token)}`,
    );
    expect(stream.status).toBe(200);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await stream.until(() => false)).toEqual([]);
    expect(stream.rest()).toBe('');
  });
});
