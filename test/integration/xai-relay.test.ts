/**
 * The xAI relay over real sockets (issue "xAI relay"): the real gateway in front of the fake xAI,
 * driven by the openai SDK (`baseURL: <gateway>/xai/v1`) and by raw node:http where exact bytes,
 * headers or request-targets matter. Callers here send their own xAI key, which is forwarded as is.
 * Pooled keys and access rules: xai-pool.test.ts; Grok images through chat: xai-images.test.ts.
 */
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIUserAbortError, BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAKE_XAI_KEY, MODELS, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'xai-relay-Password-1';
const POOLED_KEY = 'xai-FAKE-pooled-key-000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let fake: FakeXai;
let gw: TestGateway;
let xai: OpenAI;

beforeAll(async () => {
  fake = await startFakeXai({ keys: [FAKE_XAI_KEY, POOLED_KEY] });
  gw = await startGateway({
    // No Gemini call is made here: an address nothing listens on.
    upstreamUrl: 'http://127.0.0.1:9',
    keys: [],
    settings: { password: PASSWORD, xaiBaseUrl: fake.url, xaiApiKeys: [POOLED_KEY] },
  });
  xai = new OpenAI({ apiKey: FAKE_XAI_KEY, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
  // After an abort, the client library (undici) reconnects to the gateway without sending anything;
  // Node never counts such a connection as idle, so only closing all of them lets the server stop.
  gw.app.server.closeAllConnections();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  gw.core.log.clear();
});

interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with the request-target exactly as given (fetch would normalise it). */
function raw(
  target: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  const { port } = gw.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: target, method: init.method ?? 'GET', headers: init.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const own = { authorization: `Bearer ${FAKE_XAI_KEY}` };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The request log entry of the latest request to `path` with `status`. */
const loggedRequest = (path: string, status: number) =>
  vi.waitFor(() => {
    const entry = gw.core.log
      .recent()
      .findLast((e) => e.request?.path === path && e.request.status === status);
    if (!entry?.request) throw new Error(`no log entry for ${path} ${status} yet`);
    return entry.request;
  });

/** Bounds a wait, so a relay that buffers fails fast instead of at the test timeout. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('chat completions pass through with the caller’s own key', () => {
  it('non-stream: the request bytes, the key and the answer are xAI’s own', async () => {
    const body = '{"model": "grok-3-mini",  "messages": [{"role":"user","content":"hi there"}] }';
    const res = await fetch(`${gw.url}/xai/v1/chat/completions`, {
      method: 'POST',
      headers: { ...own, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: string; choices: { message: unknown }[]; usage: unknown };
    expect(answer.id).toMatch(UUID);
    expect(answer.choices[0]?.message).toMatchObject({
      content: 'Echo: hi there',
      reasoning_content: 'Thinking about: hi there',
    });
    expect(answer.usage).toMatchObject({
      total_tokens: 22,
      num_sources_used: 0,
      cost_in_usd_ticks: 1_234_500,
    });

    expect(fake.requests).toHaveLength(1);
    const seen = fake.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.target).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${FAKE_XAI_KEY}`);
    expect(seen.rawBody.toString()).toBe(body);
  });

  it('the openai SDK streams through: reasoning, content, usage chunk, [DONE]', async () => {
    const stream = await xai.chat.completions.create({
      model: 'grok-3-mini',
      messages: [{ role: 'user', content: 'stream me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    let reasoning = '';
    let usage: Record<string, unknown> | undefined;
    const ids = new Set<string>();
    for await (const chunk of stream) {
      ids.add(chunk.id);
      content += chunk.choices[0]?.delta.content ?? '';
      reasoning +=
        (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
      if (chunk.usage) usage = chunk.usage as unknown as Record<string, unknown>;
    }
    expect(content).toBe('Echo: stream me');
    expect(reasoning).toBe('Thinking about: stream me');
    expect(usage).toMatchObject({ completion_tokens: 3, cost_in_usd_ticks: 1_234_500 });
    expect([...ids]).toHaveLength(1);
    expect([...ids][0]).toMatch(UUID);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${FAKE_XAI_KEY}`);
  });

  it('a stream arrives byte for byte, each chunk before xAI sends the next (nothing buffered)', async () => {
    const chunks = [
      'data: {"id":"a","choices":[{"delta":{"content":"one"}}]}\n\n',
      ': an xAI comment\n\ndata: {"id":"a","choices":[{"delta":{"content":"two — ü"}}]}\n\n',
      'data: {"id":"a","choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
    ];
    const gates = chunks.map(() => deferred());
    fake.script(() => ({
      kind: 'raw',
      headers: { 'content-type': 'text/event-stream' },
      chunks,
      before: (i) => (i === 0 ? Promise.resolve() : gates[i - 1]!.promise),
    }));
    try {
      const res = await within(
        fetch(`${gw.url}/xai/v1/chat/completions`, {
          method: 'POST',
          headers: { ...own, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'grok-4', messages: [{ role: 'user', content: 'x' }], stream: true }),
        }),
        3000,
        'no response headers before xAI sent its second chunk',
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.getReader();
      const received: Buffer[] = [];
      for (const [i, expected] of chunks.entries()) {
        // xAI holds chunk i+1 until the client has all of chunk i: a buffering relay times out here.
        let got = Buffer.alloc(0);
        while (got.length < Buffer.byteLength(expected)) {
          const step = await within(
            reader.read(),
            3000,
            `chunk ${i} did not reach the client before xAI sent the next`,
          );
          if (step.done) throw new Error(`stream ended before chunk ${i}`);
          got = Buffer.concat([got, step.value]);
        }
        expect(got.toString()).toBe(expected);
        received.push(got);
        gates[i]!.resolve();
      }
      expect((await reader.read()).done).toBe(true);
      expect(Buffer.concat(received).equals(Buffer.from(chunks.join('')))).toBe(true);
    } finally {
      for (const gate of gates) gate.resolve();
    }
  });
});

describe('other endpoints', () => {
  it('/xai/v1/models and /xai/v1/models/{id} through the SDK', async () => {
    const list = await xai.models.list();
    expect(list.data.map((m) => m.id)).toEqual(MODELS.map((m) => m.id));
    const one = await xai.models.retrieve('grok-4');
    expect(one).toMatchObject({ id: 'grok-4', owned_by: 'xai' });
    expect(fake.requests.map((r) => r.target)).toEqual(['/v1/models', '/v1/models/grok-4']);
  });

  it('query strings pass unchanged (they cannot change the host)', async () => {
    const res = await raw('/xai/v1/models?redirect=http://evil.example/&a=%2F..', { headers: own });
    expect(res.status).toBe(200);
    expect(fake.requests[0]?.target).toBe('/v1/models?redirect=http://evil.example/&a=%2F..');
  });

  it('a streamed request body (image edits, JSON) reaches xAI unchanged', async () => {
    const body = JSON.stringify({
      model: 'grok-imagine-image',
      prompt: 'add a hat',
      image: { url: 'data:image/png;base64,AAAA' },
    });
    const res = await raw('/xai/v1/images/edits', {
      method: 'POST',
      headers: { ...own, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.body.toString()) as { data: { url: string }[] };
    expect(answer.data).toHaveLength(1);
    expect(answer).not.toHaveProperty('created');
    expect(fake.requests[0]?.rawBody.toString()).toBe(body);
    expect(fake.requests[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });
});

describe('errors', () => {
  it('xAI’s errors pass through with their status and body (wrong key → 400 {code, error})', async () => {
    const wrong = new OpenAI({ apiKey: 'xai-not-a-real-key', baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
    const err = await wrong.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);

    const res = await raw('/xai/v1/models', { headers: { authorization: 'Bearer xai-not-a-real-key' } });
    expect(res.status).toBe(400);
    expect(res.body.toString()).toBe(
      JSON.stringify({
        code: 'Client specified an invalid argument',
        error: 'Incorrect API key provided: xa***ey. You can obtain an API key from https://console.x.ai.',
      }),
    );
  });

  it.each([
    [429, { code: 'Some resource has been exhausted', error: 'Too many requests' }],
    [500, 'upstream exploded'],
    [503, { code: 'The service is currently unavailable', error: 'Overloaded' }],
  ])('xAI %i passes through untouched, Retry-After included', async (status, body) => {
    fake.script(() => ({ kind: 'error', status, body, headers: { 'retry-after': '7' } }));
    const res = await raw('/xai/v1/chat/completions', {
      method: 'POST',
      headers: { ...own, 'content-type': 'application/json' },
      body: '{"model":"grok-4","messages":[{"role":"user","content":"x"}]}',
    });
    expect(res.status).toBe(status);
    expect(res.body.toString()).toBe(typeof body === 'string' ? body : JSON.stringify(body));
    expect(res.headers['retry-after']).toBe('7');
  });

  it('xAI unreachable → the gateway’s own 502, OpenAI-shaped', async () => {
    gw.settings.update({ xaiBaseUrl: 'http://127.0.0.1:9' });
    try {
      const res = await raw('/xai/v1/models', { headers: own });
      expect(res.status).toBe(502);
      const body = JSON.parse(res.body.toString()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ type: 'server_error', code: 'upstream_unreachable' });
      expect(body.error['message']).toContain('Could not reach xAI');
    } finally {
      gw.settings.update({ xaiBaseUrl: fake.url });
    }
  });

  it('xAI silent past UPSTREAM_RESPONSE_TIMEOUT_SECONDS → 504, and the upstream call is dropped', async () => {
    gw.settings.update({ upstreamResponseTimeoutSeconds: 1 });
    fake.script(() => ({ kind: 'hang' }));
    try {
      const res = await raw('/xai/v1/models', { headers: own });
      expect(res.status).toBe(504);
      expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'upstream_timeout' } });
      expect((await fake.waitFor((r) => r.aborted, 2000)).target).toBe('/v1/models');
    } finally {
      gw.settings.update({ upstreamResponseTimeoutSeconds: 300 });
    }
  });
});

describe('client disconnect aborts the upstream call', () => {
  it('while xAI has not answered (non-stream, SDK abort)', async () => {
    fake.script(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const settled = xai.chat.completions
      .create(
        { model: 'grok-4', messages: [{ role: 'user', content: 'wait' }] },
        { signal: controller.signal },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await fake.waitFor((r) => r.path === '/v1/chat/completions');
    controller.abort();
    expect(await settled).toBeInstanceOf(APIUserAbortError);
    const upstream = await fake.waitFor((r) => r.aborted, 2000);
    expect(upstream.path).toBe('/v1/chat/completions');
    expect((await loggedRequest('/xai/v1/chat/completions', 499)).key).toBe('xai-…0001');
  });

  it('in the middle of a stream', async () => {
    const gate = deferred();
    fake.script(() => ({
      kind: 'raw',
      headers: { 'content-type': 'text/event-stream' },
      chunks: ['data: {"n":1}\n\n', 'data: {"n":2}\n\n'],
      before: (i) => (i === 1 ? gate.promise : Promise.resolve()),
    }));
    try {
      const controller = new AbortController();
      const res = await within(
        fetch(`${gw.url}/xai/v1/chat/completions`, {
          method: 'POST',
          headers: { ...own, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'grok-4', messages: [{ role: 'user', content: 'x' }], stream: true }),
          signal: controller.signal,
        }),
        3000,
        'no response headers',
      );
      const reader = res.body!.getReader();
      const first = await within(reader.read(), 3000, 'no first chunk');
      expect(Buffer.from(first.value).toString()).toBe('data: {"n":1}\n\n');
      controller.abort();
      const upstream = await fake.waitFor((r) => r.aborted, 2000);
      expect(upstream.path).toBe('/v1/chat/completions');
    } finally {
      gate.resolve();
    }
  });
});

describe('headers', () => {
  it('hop-by-hop headers are not forwarded either way; end-to-end ones are', async () => {
    fake.script(() => ({
      kind: 'raw',
      headers: {
        'content-type': 'application/json',
        connection: 'keep-alive, x-upstream-hop',
        'keep-alive': 'timeout=1234',
        'x-upstream-hop': 'secret',
        'proxy-authenticate': 'Basic realm="x"',
        trailer: 'x-sum',
        'x-end-to-end-back': 'ok',
        'access-control-allow-origin': 'https://evil.example',
      },
      chunks: ['{"object":"list","data":[]}'],
    }));
    const res = await raw('/xai/v1/models', {
      headers: {
        ...own,
        origin: 'https://client.example',
        connection: 'keep-alive, x-hop-custom',
        'keep-alive': 'timeout=99',
        te: 'trailers',
        'proxy-authorization': 'Basic abc',
        'x-hop-custom': 'secret',
        'x-forwarded-for': '203.0.113.9',
        'x-end-to-end': 'yes',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"object":"list","data":[]}');

    const seen = fake.requests[0]!.headers;
    for (const name of [
      'keep-alive',
      'te',
      'trailer',
      'proxy-authorization',
      'x-hop-custom',
      'x-forwarded-for',
    ]) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen['connection'] ?? '').not.toContain('x-hop-custom');
    expect(seen['x-end-to-end']).toBe('yes');
    expect(seen['origin']).toBe('https://client.example');

    expect(res.headers['x-upstream-hop']).toBeUndefined();
    expect(res.headers['proxy-authenticate']).toBeUndefined();
    expect(res.headers['trailer']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=1234');
    expect(res.headers['connection'] ?? '').not.toContain('x-upstream-hop');
    expect(res.headers['x-end-to-end-back']).toBe('ok');
    // The gateway's CORS answer, not xAI's.
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('cookies and the other key headers never reach xAI (they may hold the password or an access key)', async () => {
    const carried = {
      cookie: 'gemgate_admin=admin-session-token; other=1',
      'x-api-key': PASSWORD,
      'api-key': PASSWORD,
      'x-goog-api-key': PASSWORD,
      'x-end-to-end': 'yes',
    };
    for (const authorization of [own.authorization, `Bearer ${PASSWORD}`]) {
      fake.reset();
      const res = await raw('/xai/v1/models', { headers: { ...carried, authorization } });
      expect(res.status).toBe(200);
      const seen = fake.requests[0]!.headers;
      for (const name of ['cookie', 'x-api-key', 'api-key', 'x-goog-api-key']) {
        expect(seen[name], name).toBeUndefined();
      }
      expect(seen['x-end-to-end']).toBe('yes');
      expect(JSON.stringify(seen)).not.toContain(PASSWORD);
      expect(JSON.stringify(seen)).not.toContain('admin-session-token');
    }
  });
});

describe('the relay reaches XAI_BASE_URL only', () => {
  let evil: Server;
  let evilHits: string[];
  let evilHost: string;

  beforeAll(async () => {
    evilHits = [];
    evil = createServer((req, res) => {
      evilHits.push(`${req.method} ${req.url}`);
      res.end('evil');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilHost = `127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    evil.closeAllConnections();
    await new Promise<void>((resolve) => evil.close(() => resolve()));
  });

  const targets = () =>
    [
      ['/xai/v1/../../x', 400],
      ['/xai/v1/../../../evil', 400],
      ['/xai/v1/%2e%2e/', 400],
      ['/xai/v1/%2E%2E/%2e%2e/models', 400],
      ['/xai/v1/..%2f..%2fmodels', 400],
      ['/xai/v1/a%2Fb', 400],
      ['/xai/v1/%5c..%5cmodels', 400],
      [`/xai/v1//${evilHost}/x`, 400],
      [`/xai/http://${evilHost}/`, 404],
      [`/xai/http://${evilHost}/v1/models`, 404],
      [`http://${evilHost}/xai/v1/models`, 400], // absolute-form request target
      [`${fake.url}/xai/v1/models`, 400], // absolute-form, even naming the base host
    ] as const;

  it('refuses dot segments, encoded slashes, other hosts and absolute-form targets; contacts only the fake', async () => {
    for (const [target, status] of targets()) {
      // With the caller's own key and with the password (a pooled key): the same refusal.
      for (const token of [FAKE_XAI_KEY, PASSWORD]) {
        const res = await raw(target, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status, `${target} (${token})`).toBe(status);
        const body = JSON.parse(res.body.toString()) as { error: { type: string; message: string } };
        expect(body.error.type, target).toBe('invalid_request_error');
        expect(body.error.message, target).toMatch(/xAI relay|segments|slashes/);
      }
    }
    expect(evilHits).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('a host-like path segment stays a path on xAI’s host', async () => {
    const res = await raw(`/xai/v1/@${evilHost}/x`, { headers: own });
    expect(res.status).toBe(404); // xAI's own "No handler found on route"
    expect(JSON.parse(res.body.toString())).toMatchObject({ code: 'Some requested entity was not found' });
    expect(fake.requests.map((r) => r.target)).toEqual([`/v1/@${evilHost}/x`]);
    expect(evilHits).toEqual([]);
  });

  it('a redirect from xAI goes back to the caller; it is never followed', async () => {
    fake.script(() => ({
      kind: 'error',
      status: 302,
      body: '',
      headers: { location: `http://${evilHost}/steal` },
    }));
    const res = await raw('/xai/v1/models', { headers: own });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://${evilHost}/steal`);
    expect(evilHits).toEqual([]);
  });
});
