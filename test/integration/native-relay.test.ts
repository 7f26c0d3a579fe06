/**
 * The native relay at the byte level (issue part 2), with plain fetch: both stream framings passed
 * through untouched, `?key=` auth and credential stripping, bodies relayed as sent, failover before
 * the first byte (429, invalid key, an error as the stream's first event), Google's errors relayed in
 * its own shape, the gateway's own errors Gemini-shaped, and a client that leaves cancelling upstream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import { keyIdOf } from '../../main/server/keys/key-pool';
import type { GeminiGenerateContentResponse } from '../../main/server/providers/gemini/gemini-types';
import { startFakeGemini, type FakeGemini, type KeyBehaviour } from '../fakes/fake-gemini';
import { quotaExceeded } from '../fakes/fake-gemini/gemini-errors';
import { startGateway, type TestGateway } from '../support/gateway';

const K1 = 'AIzaFAKE-relay-pool-key-01';
const K2 = 'AIzaFAKE-relay-pool-key-02';
const PASSWORD = 'relay-gateway-password-91c2';
const MODEL_PATH = '/v1beta/models/gemini-2.0-flash';

let fake: FakeGemini | undefined;
let gw: TestGateway | undefined;

afterEach(async () => {
  await fake?.close();
  await gw?.close();
  fake = undefined;
  gw = undefined;
});

async function setup(
  keys: [string, KeyBehaviour][] = [
    [K1, 'valid'],
    [K2, 'valid'],
  ],
  settings: Partial<Settings> = {},
): Promise<{ fake: FakeGemini; gw: TestGateway }> {
  fake = await startFakeGemini({ keys: Object.fromEntries(keys) });
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: keys.map(([k]) => k),
    settings: { password: PASSWORD, ...settings },
  });
  return { fake, gw };
}

const userText = (text: string) => ({ contents: [{ role: 'user', parts: [{ text }] }] });

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function post(
  g: TestGateway,
  path: string,
  body: unknown,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Reply> {
  const res = await fetch(`${g.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': PASSWORD, ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const textOf = (chunks: GeminiGenerateContentResponse[]) =>
  chunks.map((c) => (c.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? '').join('')).join('');

/** The JSON of each `data:` event of an SSE body (Google's CRLF framing). */
const sseChunks = (text: string): GeminiGenerateContentResponse[] =>
  text
    .split('\r\n\r\n')
    .filter((e) => e !== '')
    .map((e) => {
      expect(e.startsWith('data: ')).toBe(true);
      return JSON.parse(e.slice('data: '.length)) as GeminiGenerateContentResponse;
    });

const healthOf = (g: TestGateway, key: string) => g.core.keys.health().find((h) => h.id === keyIdOf(key));

describe('both stream framings pass through as Gemini sends them', () => {
  it('no alt: the streamed JSON array, with ?key= auth that never reaches Google', async () => {
    const { fake, gw } = await setup();
    const res = await post(gw, `${MODEL_PATH}:streamGenerateContent?key=${PASSWORD}`, userText('array me'), {
      headers: { 'x-goog-api-key': '' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.text.trimStart().startsWith('[')).toBe(true);
    const chunks = JSON.parse(res.text) as GeminiGenerateContentResponse[];
    expect(chunks.length).toBeGreaterThan(1);
    expect(textOf(chunks)).toBe('Echo: array me');
    const upstream = fake.requests[0]!;
    expect(upstream.query).toEqual({});
    expect([K1, K2]).toContain(upstream.key);
    expect(JSON.stringify(upstream.headers)).not.toContain(PASSWORD);
  });

  it('alt=sse: Google’s own bytes (CRLF event ends) reach the client unchanged', async () => {
    const { fake, gw } = await setup();
    const res = await post(gw, `${MODEL_PATH}:streamGenerateContent?alt=sse`, userText('sse me'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The fake ends events with CRLF; the gateway's own SSE writer would use LF.
    const chunks = sseChunks(res.text);
    expect(chunks.length).toBeGreaterThan(1);
    expect(textOf(chunks)).toBe('Echo: sse me');
    expect(fake.requests[0]!.query).toEqual({ alt: 'sse' });
  });
});

describe('what reaches Google', () => {
  it('the body exactly as sent, the query minus credentials, a pooled key and none of the caller’s headers', async () => {
    const { fake, gw } = await setup();
    const raw =
      '{ "contents" : [ {"role":"user","parts":[{"text":"as sent"}]} ],\n  "generationConfig": {"temperature": 0.5} }';
    const res = await post(gw, `${MODEL_PATH}:generateContent?key=${PASSWORD}&prettyPrint=false`, raw, {
      headers: { authorization: `Bearer ${PASSWORD}`, 'x-goog-api-key': PASSWORD, cookie: 'a=b' },
    });
    expect(res.status).toBe(200);
    const upstream = fake.requests[0]!;
    expect(upstream.rawBody).toBe(raw);
    expect(upstream.query).toEqual({ prettyPrint: 'false' });
    expect(upstream.headers['x-goog-api-key']).toBe(upstream.key);
    expect([K1, K2]).toContain(upstream.key);
    expect(upstream.headers['authorization']).toBeUndefined();
    expect(upstream.headers['cookie']).toBeUndefined();
    expect(JSON.stringify(upstream)).not.toContain(PASSWORD);
  });

  it('fields the gateway does not know are Google’s to judge: its 400 comes back verbatim', async () => {
    const { fake, gw } = await setup();
    const res = await post(gw, `${MODEL_PATH}:generateContent`, { ...userText('x'), someFutureField: 1 });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text) as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(body.error.message).toContain('Unknown name "someFutureField"');
    expect(fake.requests).toHaveLength(1); // the request's own fault: no other key is tried
  });
});

describe('a caller cannot disable the pool', () => {
  it('a field named like an invalid-key message gets its 400; every key stays active', async () => {
    // Google repeats unknown field names in its 400: the message then contains "API key not valid".
    const { fake, gw } = await setup();
    const poison = { ...userText('x'), generationConfig: { 'API key not valid': 1, 'API Key not found': 1 } };
    const res = await post(gw, `${MODEL_PATH}:generateContent`, poison);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Unknown name \\"API key not valid\\"');
    expect(fake.requests).toHaveLength(1);
    expect([healthOf(gw, K1)?.status, healthOf(gw, K2)?.status]).toEqual(['active', 'active']);
    expect((await post(gw, `${MODEL_PATH}:generateContent`, userText('still there'))).status).toBe(200);
  });
});

describe('usage', () => {
  it('native calls are counted per key in the usage report, like chat', async () => {
    const { gw } = await setup([[K1, 'valid']]);
    expect((await post(gw, `${MODEL_PATH}:generateContent`, userText('one'))).status).toBe(200);
    expect((await post(gw, `${MODEL_PATH}:streamGenerateContent?alt=sse`, userText('two'))).status).toBe(200);
    const report = gw.core.usage.report('24h', gw.core.now(), {
      keyMasked: (id) => id,
      accessKeyName: (id) => id,
    });
    expect(report.byKey).toEqual([expect.objectContaining({ keyId: keyIdOf(K1), requests: 2 })]);
  });
});

describe('failover before the first byte', () => {
  it('a 429 cools the key down and another key answers (unary and stream)', async () => {
    const { fake, gw } = await setup([
      [K1, { quota: { retryDelay: '30s' } }],
      [K2, 'valid'],
    ]);
    const unary = await post(gw, `${MODEL_PATH}:generateContent`, userText('retry me'));
    expect(unary.status).toBe(200);
    expect(fake.requests.map((r) => r.key)).toEqual([K1, K2]);
    expect(healthOf(gw, K1)?.status).toBe('cooling');

    fake.reset();
    gw.core.keys.enable(keyIdOf(K1));
    const stream = await post(gw, `${MODEL_PATH}:streamGenerateContent?alt=sse`, userText('stream me'));
    expect(stream.status).toBe(200);
    expect(textOf(sseChunks(stream.text))).toBe('Echo: stream me');
    expect(fake.requests.map((r) => r.key).sort()).toEqual([K1, K2].sort());
  });

  it('an invalid key is disabled and another key answers', async () => {
    const { fake, gw } = await setup([
      [K1, 'invalid'],
      [K2, 'valid'],
    ]);
    const res = await post(gw, `${MODEL_PATH}:countTokens`, userText('count'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ totalTokens: expect.any(Number) as unknown });
    expect(fake.requests.map((r) => r.key)).toEqual([K1, K2]);
    expect(healthOf(gw, K1)?.status).toBe('disabled');
  });

  it('an error as the first event of a 200 stream moves to another key; the client sees one clean stream', async () => {
    const { fake, gw } = await setup();
    for (const query of ['?alt=sse', '']) {
      let calls = 0;
      fake.reset();
      fake.script(() => (calls++ === 0 ? { kind: 'midStreamError', afterChunks: 0 } : undefined));
      const res = await post(gw, `${MODEL_PATH}:streamGenerateContent${query}`, userText('again'));
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('"error"');
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[0]!.key).not.toBe(fake.requests[1]!.key);
    }
  });

  it('a 429 naming one model leaves the keys serving the other models (unary and stream)', async () => {
    const { fake, gw } = await setup();
    const pro = '/gemini/v1beta/models/gemini-2.5-pro';
    // The model named with the `models/` prefix: still the id the path names.
    fake.script((r) =>
      r.model === 'gemini-2.5-pro'
        ? { kind: 'error', status: 429, body: quotaExceeded('models/gemini-2.5-pro', '30s').body }
        : undefined,
    );
    const refused = await post(gw, `${pro}:generateContent`, userText('pro'));
    expect(refused.status).toBe(429);
    expect(fake.requests.map((r) => r.key)).toEqual([K1, K2]);

    const unary = await post(gw, `${MODEL_PATH}:generateContent`, userText('flash'));
    expect(unary.status).toBe(200);
    const stream = await post(gw, `${MODEL_PATH}:streamGenerateContent?alt=sse`, userText('flash stream'));
    expect(textOf(sseChunks(stream.text))).toBe('Echo: flash stream');
    expect(fake.requests.slice(2).map((r) => [r.model, r.key])).toEqual([
      ['gemini-2.0-flash', K1],
      ['gemini-2.0-flash', K2],
    ]);

    const again = await post(gw, `${pro}:streamGenerateContent?alt=sse`, userText('pro again'));
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(fake.requests).toHaveLength(4);
  });

  it('no key left: the gateway answers in Gemini’s shape, 429 with Retry-After', async () => {
    const { gw } = await setup([
      [K1, { quota: { retryDelay: '20s' } }],
      [K2, { quota: { retryDelay: '20s' } }],
    ]);
    const res = await post(gw, `${MODEL_PATH}:generateContent`, userText('x'));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.parse(res.text)).toEqual({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: expect.stringMatching(/rate limited/) as unknown,
      },
    });
  });
});

describe('Google’s errors are relayed in Google’s shape', () => {
  it('a request error passes through with its status and body, details included', async () => {
    const { fake, gw } = await setup();
    const body = {
      error: {
        code: 400,
        message: 'Request contains an invalid argument.',
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ description: 'x' }] },
        ],
      },
    };
    fake.script(() => ({ kind: 'error', status: 400, body }));
    for (const path of [':generateContent', ':streamGenerateContent?alt=sse']) {
      const res = await post(gw, `${MODEL_PATH}${path}`, userText('x'));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual(body);
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('Google’s last 429, once the retries are used up, comes back with its RetryInfo', async () => {
    const { fake, gw } = await setup(
      [
        [K1, { quota: { retryDelay: '7s' } }],
        [K2, 'valid'],
      ],
      { gemini429Retries: 0 },
    );
    const res = await post(gw, `${MODEL_PATH}:generateContent`, userText('x'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    const error = (JSON.parse(res.text) as { error: { status: string; details: { retryDelay?: string }[] } })
      .error;
    expect(error.status).toBe('RESOURCE_EXHAUSTED');
    expect(error.details.some((d) => d.retryDelay === '7s')).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('the unknown-model 404 is Google’s own', async () => {
    const { gw } = await setup();
    const res = await post(gw, '/gemini/v1beta/models/gemini-0-nope:generateContent', userText('x'));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: expect.stringMatching(/models\/gemini-0-nope/) as unknown,
      },
    });
  });
});

describe('the gateway’s own refusals (Google is not called)', () => {
  it.each([
    [`${MODEL_PATH}:fooBar`, 404, 'NOT_FOUND'],
    [`${MODEL_PATH}:predictLongRunning`, 404, 'NOT_FOUND'],
    [MODEL_PATH, 404, 'NOT_FOUND'],
    ['/v1beta/models/..%2F..%2Fadmin:generateContent', 400, 'INVALID_ARGUMENT'],
    ['/v1beta/models/gemini%3Fx=1:generateContent', 400, 'INVALID_ARGUMENT'],
    ['/v1beta/models/a:b:generateContent', 400, 'INVALID_ARGUMENT'],
  ])('POST %s → %i %s', async (path, status, grpc) => {
    const { fake, gw } = await setup();
    const res = await post(gw, path, userText('x'));
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: status, status: grpc, message: expect.any(String) as unknown },
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('a GET of a method is not a call', async () => {
    const { fake, gw } = await setup();
    const res = await fetch(`${gw.url}${MODEL_PATH}:generateContent`, {
      headers: { 'x-goog-api-key': PASSWORD },
    });
    expect(res.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('a client that leaves cancels the upstream call', () => {
  it.each([':generateContent', ':streamGenerateContent?alt=sse', ':streamGenerateContent'])(
    'while Gemini has not answered (%s)',
    async (action) => {
      const { fake, gw } = await setup();
      fake.script(() => ({ kind: 'hang' }));
      const controller = new AbortController();
      const pending = post(gw, `${MODEL_PATH}${action}`, userText('hang'), {
        signal: controller.signal,
      }).catch((e: unknown) => e);
      await fake.waitFor((r) => r.action !== undefined);
      controller.abort();
      expect(await pending).toBeInstanceOf(Error);
      const upstream = await fake.waitFor((r) => r.aborted, 2000);
      expect(upstream.aborted).toBe(true);
    },
  );

  it('in the middle of a stream', async () => {
    const { fake, gw } = await setup();
    fake.script(() => ({ kind: 'slow', delayMs: 200, text: 'a b c d e f', chunks: 6 }));
    const controller = new AbortController();
    const res = await fetch(`${gw.url}${MODEL_PATH}:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': PASSWORD },
      body: JSON.stringify(userText('slow')),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    controller.abort();
    const upstream = await fake.waitFor((r) => r.aborted, 2000);
    expect(upstream.abortedAt! - upstream.receivedAt).toBeLessThan(1000);
  });
});

describe('a stream Google breaks after the first byte', () => {
  it('is broken for the client too, and logged with the upstream failure', async () => {
    const { fake, gw } = await setup();
    fake.script(() => ({ kind: 'cut', afterChunks: 1 }));
    const outcome = await post(gw, `${MODEL_PATH}:streamGenerateContent?alt=sse`, userText('cut me')).catch(
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(Error); // the connection dropped mid-body, as Google's did
    expect(fake.requests).toHaveLength(1); // never retried once bytes went out
    for (let i = 0; i < 100 && !gw.core.log.recent().some((e) => e.request?.errorCode); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const entry = gw.core.log.recent().find((e) => e.request?.path.endsWith(':streamGenerateContent'));
    expect(entry?.request).toMatchObject({
      status: 502,
      errorCode: 'upstream_unreachable',
      model: 'gemini-2.0-flash',
    });
  });
});
