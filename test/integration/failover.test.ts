/**
 * The key pool and the failover loop seen from outside: even rotation, 429 → cooldown honouring
 * RetryInfo, invalid/leaked keys disabled, 5xx retried within GEMINI_503_RETRIES, empty answers,
 * streams that fail over before their first byte and end with an error event after it, and the
 * answers a client gets when no key can serve (429 with Retry-After, 503).
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { APIError, InternalServerError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import type { KeyHealth } from '../../main/server/keys/key-pool';
import { keyIdOf } from '../../main/server/keys/key-pool';
import { startFakeGemini, type FakeGemini, type KeyBehaviour } from '../fakes/fake-gemini';
import { quotaExceeded } from '../fakes/fake-gemini/gemini-errors';
import { callsPerKey, generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { chunksOf, contentOf, parseOpenAISse, postChat } from '../support/openai-sse';

const K1 = 'AIzaFAKE-pool-key-0001';
const K2 = 'AIzaFAKE-pool-key-0002';
const K3 = 'AIzaFAKE-pool-key-0003';

let fake: FakeGemini | undefined;
let gw: TestGateway | undefined;

afterEach(async () => {
  await fake?.close();
  await gw?.close();
  fake = undefined;
  gw = undefined;
});

/** A fake with these keys and a gateway configured with them, in this order. */
async function setup(
  keys: [string, KeyBehaviour][],
  settings: Partial<Settings> = {},
): Promise<{ fake: FakeGemini; gw: TestGateway }> {
  fake = await startFakeGemini({ keys: Object.fromEntries(keys) });
  gw = await startGateway({ upstreamUrl: fake.url, keys: keys.map(([k]) => k), settings });
  return { fake, gw };
}

const healthOf = (g: TestGateway, key: string): KeyHealth => {
  const found = g.core.keys.health().find((h) => h.id === keyIdOf(key));
  if (!found) throw new Error(`no health entry for ${key}`);
  return found;
};

const ask = (g: TestGateway, text = 'hello') =>
  g.openai.chat.completions.create({
    model: 'gemini-2.0-flash',
    messages: [{ role: 'user', content: text }],
  });

async function askStream(g: TestGateway, text: string): Promise<string> {
  const stream = await g.openai.chat.completions.create({
    model: 'gemini-2.0-flash',
    messages: [{ role: 'user', content: text }],
    stream: true,
  });
  let out = '';
  for await (const chunk of stream) out += chunk.choices[0]?.delta.content ?? '';
  return out;
}

describe('rotation', () => {
  it('spreads 30 requests (sequential, concurrent, streamed) evenly: 10 per key', async () => {
    const { fake, gw } = await setup([
      [K1, 'valid'],
      [K2, 'valid'],
      [K3, 'valid'],
    ]);
    for (let i = 0; i < 10; i++)
      expect((await ask(gw, `seq ${i}`)).choices[0]?.message.content).toBe(`Echo: seq ${i}`);
    const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(gw, `par ${i}`)));
    expect(concurrent.map((r) => r.choices[0]?.message.content)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Echo: par ${i}`),
    );
    const streamed = await Promise.all(Array.from({ length: 10 }, (_, i) => askStream(gw, `stream ${i}`)));
    expect(streamed).toEqual(Array.from({ length: 10 }, (_, i) => `Echo: stream ${i}`));

    expect(callsPerKey(fake)).toEqual({ [K1]: 10, [K2]: 10, [K3]: 10 });
    for (const key of [K1, K2, K3])
      expect(healthOf(gw, key)).toMatchObject({ requests: 10, successes: 10, failures: 0 });
  });
});

describe('failover before the answer', () => {
  it('a 429 with RetryInfo moves the request to another key and cools the key down for that long', async () => {
    const { fake, gw } = await setup([
      [K1, { quota: { retryDelay: '30s' } }],
      [K2, 'valid'],
    ]);
    const before = Date.now();
    const res = await ask(gw, 'quota please');
    const after = Date.now();
    expect(res.choices[0]?.message.content).toBe('Echo: quota please');
    expect(generateCalls(fake).map((r) => r.key)).toEqual([K1, K2]);

    const cooled = healthOf(gw, K1);
    expect(cooled.status).toBe('cooling');
    expect(cooled.cooldownUntil).toBeGreaterThanOrEqual(before + 30_000);
    expect(cooled.cooldownUntil).toBeLessThanOrEqual(after + 30_000);
    expect(cooled.lastError?.status).toBe(429);
    expect(healthOf(gw, K2).status).toBe('active');

    // While it cools down the key is not offered again.
    await ask(gw, 'again');
    await ask(gw, 'and again');
    expect(callsPerKey(fake)).toEqual({ [K1]: 1, [K2]: 3 });
  });

  it('a 429 without RetryInfo cools the key for KEY_COOLDOWN_SECONDS', async () => {
    const { gw } = await setup(
      [
        [K1, { quota: {} }],
        [K2, 'valid'],
      ],
      { keyCooldownSeconds: 7 },
    );
    const before = Date.now();
    await ask(gw);
    const after = Date.now();
    const cooled = healthOf(gw, K1);
    expect(cooled.status).toBe('cooling');
    expect(cooled.cooldownUntil).toBeGreaterThanOrEqual(before + 7000);
    expect(cooled.cooldownUntil).toBeLessThanOrEqual(after + 7000);
  });

  it('invalid and leaked keys are disabled with a reason, and the request still succeeds', async () => {
    const { fake, gw } = await setup([
      [K1, 'invalid'],
      [K2, 'leaked'],
      [K3, 'valid'],
    ]);
    const res = await ask(gw, 'bad keys first');
    expect(res.choices[0]?.message.content).toBe('Echo: bad keys first');
    expect(healthOf(gw, K1)).toMatchObject({ status: 'disabled', disabledReason: 'API key not valid' });
    expect(healthOf(gw, K2)).toMatchObject({
      status: 'disabled',
      disabledReason: 'API key reported as leaked',
    });
    expect(healthOf(gw, K3).status).toBe('active');
    // Disabled keys carry no key material in their reason, and are never tried again.
    for (const h of gw.core.keys.health()) expect(JSON.stringify(h)).not.toContain('AIzaFAKE-pool-key');
    await ask(gw);
    await ask(gw);
    expect(callsPerKey(fake)).toEqual({ [K1]: 1, [K2]: 1, [K3]: 3 });
  });

  it('a 503 burst is retried within GEMINI_503_RETRIES, even on a single key', async () => {
    const { fake, gw } = await setup([[K1, { unavailable: 2 }]], { gemini503Retries: 2 });
    const res = await ask(gw, 'survive the burst');
    expect(res.choices[0]?.message.content).toBe('Echo: survive the burst');
    expect(generateCalls(fake)).toHaveLength(3);
    expect(healthOf(gw, K1)).toMatchObject({ status: 'active', failures: 2, successes: 1 });
  });

  it('when the 5xx budget is exhausted the client gets 503 with an OpenAI error body', async () => {
    const { fake, gw } = await setup([[K1, { unavailable: 100 }]], { gemini503Retries: 2 });
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(reply.status).toBe(503);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(reply.text)).toEqual({
      error: {
        message: 'The model is overloaded. Please try again later.',
        type: 'server_error',
        param: null,
        code: 'upstream_unavailable',
      },
    });
    expect(generateCalls(fake)).toHaveLength(3);

    const err = await ask(gw).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(503);
  });

  it('an empty answer is retried when GEMINI_EMPTY_RESPONSE_RETRIES > 0', async () => {
    const { fake, gw } = await setup(
      [
        [K1, 'valid'],
        [K2, 'valid'],
      ],
      { geminiEmptyResponseRetries: 1 },
    );
    fake.script((r) => (generateCalls(fake)[0] === r ? { kind: 'empty' } : undefined));
    const res = await ask(gw, 'not empty in the end');
    expect(res.choices[0]?.message.content).toBe('Echo: not empty in the end');
    expect(generateCalls(fake).map((r) => r.key)).toEqual([K1, K2]);
  });

  it('an empty answer is returned as is when GEMINI_EMPTY_RESPONSE_RETRIES is 0', async () => {
    const { fake, gw } = await setup([[K1, 'valid']], { geminiEmptyResponseRetries: 0 });
    fake.script(() => ({ kind: 'empty' }));
    const res = await ask(gw, 'nothing');
    expect(res.choices[0]?.message.content).toBeNull();
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(generateCalls(fake)).toHaveLength(1);
  });

  it('with a single key, empty answers are retried on it and the last one is returned, not a 503', async () => {
    const { fake, gw } = await setup([[K1, 'valid']], { geminiEmptyResponseRetries: 2 });
    fake.script(() => ({ kind: 'empty' }));
    const res = await ask(gw, 'always empty');
    expect(res.choices[0]?.message.content).toBeNull();
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(generateCalls(fake)).toHaveLength(3);
  });

  it('an empty stream is retried too, before anything visible was sent', async () => {
    const { fake, gw } = await setup([[K1, 'valid']], { geminiEmptyResponseRetries: 2 });
    fake.script((r) => (generateCalls(fake).indexOf(r) < 2 ? { kind: 'empty' } : undefined));
    expect(await askStream(gw, 'third time lucky')).toBe('Echo: third time lucky');
    expect(generateCalls(fake)).toHaveLength(3);
  });
});

describe('a request that met several failures', () => {
  it('"A 503, then B invalid": A is tried again within the 503 budget — the client never sees B’s invalid key', async () => {
    const { fake, gw } = await setup([
      [K1, { unavailable: 1 }],
      [K2, 'invalid'],
    ]);
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'again' }],
    });
    expect(res.choices[0]?.message.content).toBe('Echo: again');
    expect(generateCalls(fake).map((r) => r.key)).toEqual([K1, K2, K1]);
    expect(healthOf(gw, K2).status).toBe('disabled');
  });

  it('a client gone during the retry delay takes no further key, and no use is counted for one', async () => {
    const { fake, gw } = await setup([[K1, { unavailable: 100 }]], { geminiRetryDelay: 1 });
    const controller = new AbortController();
    const pending = gw.openai.chat.completions
      .create(
        { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'leaving' }] },
        { signal: controller.signal },
      )
      .catch((err: unknown) => err);
    await expect.poll(() => generateCalls(fake).length).toBe(1);
    controller.abort();
    await pending;
    // Past the 1 s delay: the loop noticed the client left before taking the key again.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(generateCalls(fake)).toHaveLength(1);
    expect(healthOf(gw, K1).requests).toBe(1);
  });
});

describe('answers about the request, not the key', () => {
  it('a 403 for one model (no access to it) reaches the client; no key is disabled, other models work', async () => {
    const { fake, gw } = await setup([
      [K1, 'valid'],
      [K2, 'valid'],
    ]);
    const forbidden = {
      error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
    };
    fake.script((r) =>
      r.model === 'gemini-3-pro-preview' ? { kind: 'error', status: 403, body: forbidden } : undefined,
    );
    const refused = await gw.openai.chat.completions
      .create({ model: 'gemini-3-pro-preview', messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(APIError);
    expect((refused as APIError).status).toBe(403);
    expect(generateCalls(fake)).toHaveLength(1);
    expect([healthOf(gw, K1).status, healthOf(gw, K2).status]).toEqual(['active', 'active']);
    const other = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'still here' }],
    });
    expect(other.choices[0]?.message.content).toBe('Echo: still here');
  });
});

describe('a 429 for one model (free-tier quotas are per model)', () => {
  const PRO = 'gemini-2.5-pro';
  const FLASH = 'gemini-2.5-flash';
  const chat = (g: TestGateway, model: string, stream = false) =>
    postChat(g, { model, messages: [{ role: 'user', content: `to ${model}` }], stream });
  const callsFor = (f: FakeGemini, model: string) => generateCalls(f).filter((r) => r.model === model);

  it('leaves the keys serving the other models; that model is refused with Retry-After until its quota is back', async () => {
    const { fake, gw } = await setup([
      [K1, 'valid'],
      [K2, 'valid'],
    ]);
    // Google's body names the model whose quota ran out (QuotaFailure quotaDimensions.model).
    fake.script((r) =>
      r.model === PRO ? { kind: 'error', status: 429, body: quotaExceeded(PRO, '30s').body } : undefined,
    );

    const pro = await chat(gw, PRO);
    expect(pro.status).toBe(429);
    expect(pro.headers.get('retry-after')).toBe('30');
    expect(callsFor(fake, PRO).map((r) => r.key)).toEqual([K1, K2]);

    // The bug: flash got "All 2 Gemini API keys are rate limited" without one upstream call.
    const flash = [await chat(gw, FLASH), await chat(gw, FLASH, true)];
    expect(flash.map((r) => r.status)).toEqual([200, 200]);
    expect(JSON.parse(flash[0]!.text)).toMatchObject({
      choices: [{ message: { content: `Echo: to ${FLASH}` } }],
    });
    expect(contentOf(chunksOf(flash[1]!.text))).toBe(`Echo: to ${FLASH}`);
    expect(callsFor(fake, FLASH).map((r) => r.key)).toEqual([K1, K2]);

    // Pro again: refused at once, without asking Google, saying when a key is free for pro.
    const again = await chat(gw, PRO, true);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    const body = JSON.parse(again.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('all_keys_rate_limited');
    expect(body.error.message).toMatch(/All 2 Gemini API keys are rate limited .*for gemini-2\.5-pro/);
    expect(callsFor(fake, PRO)).toHaveLength(2);
  });

  it('a 429 that names no model still cools the whole key', async () => {
    const { fake, gw } = await setup([[K1, 'valid']]);
    // Google's terse form: no QuotaFailure, so nothing says which quota ran out.
    fake.script((r) => (r.model === PRO ? { kind: 'error', status: 429 } : undefined));
    expect((await chat(gw, PRO)).status).toBe(429);
    const flash = await chat(gw, FLASH);
    expect(flash.status).toBe(429);
    expect(callsFor(fake, FLASH)).toHaveLength(0);
  });
});

describe('streams', () => {
  it('fail over on a 429 before the first byte', async () => {
    const { fake, gw } = await setup([
      [K1, { quota: { retryDelay: '5s' } }],
      [K2, 'valid'],
    ]);
    expect(await askStream(gw, 'streamed failover')).toBe('Echo: streamed failover');
    expect(generateCalls(fake).map((r) => [r.key, r.action])).toEqual([
      [K1, 'streamGenerateContent'],
      [K2, 'streamGenerateContent'],
    ]);
    expect(healthOf(gw, K1).status).toBe('cooling');
  });

  it('fail over when the upstream stream errors before any visible output', async () => {
    const { fake, gw } = await setup([
      [K1, 'valid'],
      [K2, 'valid'],
    ]);
    fake.script((r) =>
      generateCalls(fake)[0] === r ? { kind: 'midStreamError', afterChunks: 0 } : undefined,
    );
    expect(await askStream(gw, 'second key answers')).toBe('Echo: second key answers');
    expect(generateCalls(fake).map((r) => r.key)).toEqual([K1, K2]);
    expect(healthOf(gw, K1).lastError?.status).toBe(503);
  });

  it('an error after the first byte ends the stream with an error event (no retry, no hang)', async () => {
    const { fake, gw } = await setup([
      [K1, 'valid'],
      [K2, 'valid'],
    ]);
    fake.script(() => ({ kind: 'midStreamError', afterChunks: 1 }));
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'this will break' }],
      stream: true,
    });
    const received: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('overloaded');
    const text = received.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect('Echo: this will break'.startsWith(text)).toBe(true);
    expect(generateCalls(fake)).toHaveLength(1);

    // The raw bytes: content, then an OpenAI error object as a data event, then [DONE].
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'this will break' }],
      stream: true,
    });
    expect(reply.status).toBe(200);
    const events = parseOpenAISse(reply.text).map((b) => b.data);
    expect(events.at(-1)).toBe('[DONE]');
    expect(JSON.parse(events.at(-2) ?? '')).toEqual({
      error: {
        message: 'The model is overloaded. Please try again later.',
        type: 'server_error',
        param: null,
        code: 'upstream_unavailable',
      },
    });
  });

  it('a connection cut after the first byte makes the SDK stream throw instead of hanging', async () => {
    const { fake, gw } = await setup([[K1, 'valid']]);
    fake.script(() => ({ kind: 'cut', afterChunks: 1 }));
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'cut me off' }],
      stream: true,
    });
    const error = await (async () => {
      for await (const chunk of stream) void chunk;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIError);
    expect(generateCalls(fake)).toHaveLength(1);

    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'cut me off' }],
      stream: true,
    });
    const events = parseOpenAISse(reply.text).map((b) => b.data);
    expect(events.at(-1)).toBe('[DONE]');
    const last = JSON.parse(events.at(-2) ?? '') as { error?: { type: string; code: string } };
    expect(last.error?.type).toBe('server_error');
    expect(contentOf(chunksOf(reply.text).filter((c) => 'choices' in c))).not.toBe('');
  });
});

describe('no key can serve', () => {
  it('all keys rate limited → a prompt 429 with Retry-After and a body that says so', async () => {
    const { fake, gw } = await setup(
      [
        [K1, { quota: { retryDelay: '20s' } }],
        [K2, { quota: { retryDelay: '12.5s' } }],
      ],
      // A retry delay that would show if the 429 path slept.
      { geminiRetryDelay: 3 },
    );
    const started = Date.now();
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(reply.status).toBe(429);
    // The earliest key is free again after 12.5 s: rounded up, never early.
    expect(reply.headers.get('retry-after')).toBe('13');
    const body = JSON.parse(reply.text) as {
      error: { message: string; type: string; code: string; param: null };
    };
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.code).toBe('all_keys_rate_limited');
    expect(body.error.message).toMatch(/All 2 Gemini API keys are rate limited/);
    expect(generateCalls(fake)).toHaveLength(2);

    // Now every key is cooling: the next request is refused without asking Google at all.
    const again = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    expect(again.status).toBe(429);
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(13);
    expect(generateCalls(fake)).toHaveLength(2);
  });

  it('no keys configured → 503 saying so', async () => {
    const { fake, gw } = await setup([]);
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(reply.status).toBe(503);
    const body = JSON.parse(reply.text) as { error: { message: string; type: string; code: string } };
    expect(body.error).toMatchObject({ type: 'server_error', code: 'no_keys_available' });
    expect(body.error.message).toContain('No Gemini API keys are configured');
    expect(fake.requests).toHaveLength(0);
  });

  it('all keys invalid → 503, every key disabled', async () => {
    const { fake, gw } = await setup([
      [K1, 'invalid'],
      [K2, 'leaked'],
    ]);
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(reply.status).toBe(503);
    const body = JSON.parse(reply.text) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('no_keys_available');
    expect(body.error.message).toMatch(/All 2 Gemini API keys are disabled/);
    expect(body.error.message).not.toContain('AIzaFAKE');
    expect(gw.core.keys.health().map((h) => h.status)).toEqual(['disabled', 'disabled']);
    expect(generateCalls(fake)).toHaveLength(2);
  });
});
