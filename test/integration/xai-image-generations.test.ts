/**
 * POST /xai/v1/images/generations in OpenAI's shape (wire-format §5.3), over real sockets with the
 * openai SDK: OpenAI's size, quality and style never reach xAI; the answer has `created` and bare
 * base64 (a `data:…;base64,` prefix from xAI is stripped). The body is held in memory, so a pooled
 * key xAI refuses (429, 403) hands the request to the next key. xAI's errors pass through as they
 * are; the gateway's own (a body over MAX_BODY_MB, an answer cut off or over the size cap) are
 * OpenAI-shaped, and a client that goes away mid-answer is no internal error.
 */
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { PermissionDeniedError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_XAI_IMAGES_ANSWER_BYTES } from '../../main/server/routes/relay/read-answer';
import type { Settings } from '../../shared/settings-schema';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'xai-generations-Password-4';
const K1 = 'xai-FAKE-pooled-gen-key-0001';
const K2 = 'xai-FAKE-pooled-gen-key-0002';

let fake: FakeXai;
let gw: TestGateway;
let baseline: Settings;

beforeAll(async () => {
  fake = await startFakeXai({ keys: [FAKE_XAI_KEY, K1, K2] });
  gw = await startGateway({
    upstreamUrl: 'http://127.0.0.1:9', // no Gemini call is made here
    keys: [],
    settings: { password: PASSWORD, xaiBaseUrl: fake.url, xaiApiKeys: [K1, K2], keyCooldownSeconds: 60 },
  });
  baseline = gw.settings.get();
});
afterAll(async () => {
  await fake.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  gw.core.log.clear();
  gw.settings.update(baseline);
  gw.core.xaiKeys.setKeys([]); // forget cooldowns and counters of the previous test
  gw.core.xaiKeys.setKeys(baseline.xaiApiKeys);
});

const sdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
const imageCalls = () => fake.requests.filter((r) => r.path === '/v1/images/generations');

const generate = (init: { signal?: AbortSignal } = {}) =>
  fetch(`${gw.url}/xai/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'grok-2-image-1212', prompt: 'a cat' }),
    ...init,
  });

const loggedRequest = () =>
  vi.waitFor(() => {
    const entry = gw.core.log.recent().findLast((e) => e.request?.path === '/xai/v1/images/generations');
    if (!entry?.request) throw new Error('the request is not logged yet');
    return entry.request;
  });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const NO_CREDITS = {
  code: 'The caller does not have permission to execute the specified operation',
  error: "Your newly created team doesn't have any credits yet.",
};

describe('OpenAI shape', () => {
  it('size, quality and style are stripped; xAI’s own fields pass; the answer has created', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await sdk(FAKE_XAI_KEY).images.generate({
      model: 'grok-2-image-1212',
      prompt: 'a red cat',
      n: 2,
      size: '1024x1024',
      quality: 'hd',
      style: 'vivid',
      user: 'u-1',
      // xAI-only, unknown to the SDK's types
      ...({ aspect_ratio: '16:9' } as object),
    });
    expect(imageCalls()[0]?.body).toEqual({
      model: 'grok-2-image-1212',
      prompt: 'a red cat',
      n: 2,
      user: 'u-1',
      aspect_ratio: '16:9',
    });
    expect(imageCalls()[0]?.key).toBe(FAKE_XAI_KEY);
    expect(res.created).toBeGreaterThanOrEqual(before);
    expect(res.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(res.data).toHaveLength(2);
    expect(res.data?.[0]?.url).toMatch(new RegExp(`^${fake.url}/xai-imgen/`));
    expect(res.data?.[0]?.revised_prompt).toBe('A vivid rendering of: a red cat');
    expect(res.usage).toEqual({ cost_in_usd_ticks: 1_400_000_000 });
  });

  it('b64_json with a data: URL prefix from xAI → bare base64 of the same bytes', async () => {
    fake.useDataUrlPrefix(true);
    const res = await sdk(PASSWORD).images.generate({
      model: 'grok-2-image-1212',
      prompt: 'a prefixed fox',
      response_format: 'b64_json',
    });
    const b64 = res.data?.[0]?.b64_json ?? '';
    expect(b64.startsWith('data:')).toBe(false);
    expect(Buffer.from(b64, 'base64').equals(fake.generated.at(-1)!)).toBe(true);
    expect(typeof res.created).toBe('number');
  });
});

describe('errors', () => {
  it('xAI’s errors pass through with their status and body', async () => {
    const res = await fetch(`${gw.url}/xai/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-4', prompt: 'x' }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 'Some requested entity was not found',
      error: 'The model grok-4 does not exist or is not an image model.',
    });
  });

  it('a body that is not a JSON object is relayed as it came; xAI says what is wrong', async () => {
    const res = await fetch(`${gw.url}/xai/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
      body: '["not", "an object"]',
    });
    expect(res.status).toBe(422);
    expect(fake.requests[0]?.rawBody.toString()).toBe('["not", "an object"]');
  });

  it('a body over MAX_BODY_MB → the gateway’s own 413, OpenAI-shaped; xAI is not called', async () => {
    gw.settings.update({ maxBodyMb: 1 });
    const res = await fetch(`${gw.url}/xai/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'grok-2-image-1212', prompt: 'x'.repeat(1024 * 1024 + 1) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'request_too_large' },
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('reading xAI’s answer', () => {
  it('an answer cut off mid-body → the gateway’s own 502, OpenAI-shaped, like the chat path', async () => {
    fake.script(() => ({
      kind: 'raw',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
      chunks: ['{"data":[{"url":"https://imgen.x.ai/'],
      cut: true,
    }));
    const res = await generate();
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({
      error: { type: 'server_error', code: 'upstream_unreachable', message: expect.stringContaining('xAI') },
    });
    expect((await loggedRequest()).errorCode).toBe('upstream_unreachable');
  });

  it('a client that goes away while the answer arrives: the call is dropped, no internal error is logged', async () => {
    const firstWritten = deferred();
    const gate = deferred();
    fake.script(() => ({
      kind: 'raw',
      headers: { 'content-type': 'application/json' },
      chunks: ['{"data":[', ']}'],
      before: async (i) => {
        if (i === 0) return;
        firstWritten.resolve();
        await gate.promise;
      },
    }));
    const controller = new AbortController();
    const settled = generate({ signal: controller.signal }).catch((e: unknown) => e);
    try {
      await firstWritten.promise;
      await delay(100); // the gateway has xAI's headers and is reading the body
      controller.abort();
      expect(await settled).toMatchObject({ name: 'AbortError' });
      await fake.waitFor((r) => r.aborted, 2000);
      expect((await loggedRequest()).status).toBe(499);
    } finally {
      gate.resolve();
    }
    expect(gw.core.log.recent().filter((e) => e.level === 'error')).toEqual([]);
  });

  it('an answer over the size cap → 502 (upstream_bad_response), xAI’s connection dropped', async () => {
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    const filler = Array.from({ length: MAX_XAI_IMAGES_ANSWER_BYTES / mib.length + 1 }, () => mib);
    for (const declared of [false, true]) {
      fake.reset();
      const gate = deferred();
      fake.script(() => ({
        kind: 'raw',
        // Declared: refused before the body is read; else cut off once past the cap. Either way
        // xAI's answer never ends by itself, so only the gateway can drop it.
        headers: {
          'content-type': 'application/json',
          ...(declared ? { 'content-length': String(MAX_XAI_IMAGES_ANSWER_BYTES + 100) } : {}),
        },
        chunks: [...(declared ? ['{"data":[]'] : ['{"data":[],"pad":"', ...filler]), '"}'],
        before: async (i) => {
          if (i === (declared ? 1 : filler.length + 1)) await gate.promise;
        },
      }));
      try {
        const res = await generate();
        expect(res.status, `declared: ${declared}`).toBe(502);
        expect(await res.json()).toMatchObject({
          error: {
            type: 'server_error',
            code: 'upstream_bad_response',
            message: expect.stringContaining('64 MB'),
          },
        });
        await fake.waitFor((r) => r.aborted, 2000);
      } finally {
        gate.resolve();
      }
    }
  });
});

describe('pooled keys', () => {
  it('a 403 (no credits) or a 429 on one key → the next key draws; the refused keys cool down', async () => {
    for (const status of [403, 429]) {
      fake.reset();
      gw.core.xaiKeys.setKeys([]);
      gw.core.xaiKeys.setKeys([K1, K2]);
      fake.script((r) => (r.key === K1 ? { kind: 'error', status, body: NO_CREDITS } : undefined));
      const res = await sdk(PASSWORD).images.generate({ model: 'grok-2-image-1212', prompt: 'a dog' });
      expect(res.data, String(status)).toHaveLength(1);
      expect(imageCalls().map((r) => r.key)).toEqual([K1, K2]);
      const k1 = gw.core.xaiKeys.health().find((h) => gw.core.xaiKeys.keyOf(h.id) === K1);
      expect(k1).toMatchObject({ status: 'cooling', lastError: { status } });
    }
  });

  it('every key 403 → xAI’s last 403 reaches the SDK as PermissionDeniedError', async () => {
    fake.script(() => ({ kind: 'error', status: 403, body: NO_CREDITS }));
    const err = await sdk(PASSWORD)
      .images.generate({ model: 'grok-2-image-1212', prompt: 'a dog' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    // The SDK keeps the body's `error`: xAI's message, as xAI sent it.
    expect((err as PermissionDeniedError).error).toBe(NO_CREDITS.error);
    expect(new Set(imageCalls().map((r) => r.key))).toEqual(new Set([K1, K2]));
  });
});
