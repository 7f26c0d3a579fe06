/**
 * The stream path under stress: a client that goes away must cancel the upstream call at once (and
 * be logged as 499) without hurting the gateway; 50 concurrent streams must each get their own
 * answer; and a slow upstream must be bridged with SSE keep-alive comments that clients ignore.
 */
import { APIUserAbortError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { callsPerKey, generateCalls, isGenerate } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { chunksOf, contentOf, parseOpenAISse, postChat, waitForRequestLog } from '../support/openai-sse';

const KEYS = ['AIzaFAKE-stream-key-01', 'AIzaFAKE-stream-key-02', 'AIzaFAKE-stream-key-03'];
const SLOW_KEY = 'AIzaFAKE-stream-slow-key';

let fake: FakeGemini;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: Object.fromEntries(KEYS.map((k) => [k, 'valid'])) });
  gw = await startGateway({ upstreamUrl: fake.url, keys: KEYS });
});
afterAll(async () => {
  // The fake first: it drops any upstream call still hanging, so the gateway can close promptly.
  await fake.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  gw.core.log.clear();
});

const isClientClosedChat = (f: { path: string; status: number }) =>
  f.path === '/v1/chat/completions' && f.status === 499;

async function stillServing(): Promise<void> {
  fake.script(() => undefined);
  const res = await gw.openai.chat.completions.create({
    model: 'gemini-2.0-flash',
    messages: [{ role: 'user', content: 'still there?' }],
  });
  expect(res.choices[0]?.message.content).toBe('Echo: still there?');
}

describe('client disconnect cancels the upstream call', () => {
  it('a stream aborted while Gemini has not answered yet', async () => {
    fake.script(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const pending = gw.openai.chat.completions.create(
      { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hang on' }], stream: true },
      { signal: controller.signal },
    );
    const settled = pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    await fake.waitFor(isGenerate);
    controller.abort();
    expect(await settled).toBeInstanceOf(APIUserAbortError);

    const upstream = await fake.waitFor((r) => r.aborted, 1000);
    expect(upstream.action).toBe('streamGenerateContent');
    expect(upstream.abortedAt! - upstream.receivedAt).toBeGreaterThanOrEqual(0);
    expect((await waitForRequestLog(gw, isClientClosedChat)).status).toBe(499);
    await stillServing();
  });

  it('a stream aborted after the first chunks arrived', async () => {
    fake.script(() => ({ kind: 'slow', delayMs: 300, chunks: 4 }));
    const controller = new AbortController();
    const stream = await gw.openai.chat.completions.create(
      { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'slow and long' }], stream: true },
      { signal: controller.signal },
    );
    let received = '';
    let finish: string | null | undefined;
    // The SDK ends the iteration quietly on a user abort (it does not throw).
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (received !== '') controller.abort();
    }
    expect(received).not.toBe('');
    expect(received).not.toBe('Echo: slow and long');
    expect(finish).toBeNull();

    const upstream = await fake.waitFor((r) => r.aborted, 1000);
    expect(upstream.action).toBe('streamGenerateContent');
    await waitForRequestLog(gw, isClientClosedChat);
    await stillServing();
  });

  it('a non-stream request aborted while Gemini hangs', async () => {
    fake.script(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const settled = gw.openai.chat.completions
      .create(
        { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'wait' }] },
        { signal: controller.signal },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await fake.waitFor(isGenerate);
    controller.abort();
    expect(await settled).toBeInstanceOf(APIUserAbortError);

    const upstream = await fake.waitFor((r) => r.aborted, 1000);
    expect(upstream.action).toBe('generateContent');
    const logged = await waitForRequestLog(gw, isClientClosedChat);
    expect(logged.status).toBe(499);
    // The abandoned request did not count against the key as a failure.
    expect(gw.core.keys.health().every((h) => h.failures === 0)).toBe(true);
    await stillServing();
  });
});

describe('concurrency', () => {
  it('50 concurrent streams each receive their own answer, complete', async () => {
    fake.script(() => ({ kind: 'text', chunks: 4 }));
    const prompts = Array.from(
      { length: 50 },
      (_, i) => `prompt #${i} ${'字'.repeat(i % 7)}${i % 3 === 0 ? ' 🎯' : ''}`,
    );
    const answers = await Promise.all(
      prompts.map(async (prompt) => {
        const stream = await gw.openai.chat.completions.create({
          model: 'gemini-2.0-flash',
          messages: [{ role: 'user', content: prompt }],
          stream: true,
        });
        let text = '';
        let finish: string | null | undefined;
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? '';
          finish = chunk.choices[0]?.finish_reason ?? finish;
        }
        return { text, finish };
      }),
    );
    expect(answers.map((a) => a.text)).toEqual(prompts.map((p) => `Echo: ${p}`));
    expect(answers.every((a) => a.finish === 'stop')).toBe(true);
    expect(generateCalls(fake)).toHaveLength(50);
    expect(Object.values(callsPerKey(fake)).reduce((a, b) => a + b, 0)).toBe(50);
  });
});

describe('keep-alive comments', () => {
  let slowFake: FakeGemini;
  let slowGw: TestGateway;

  beforeAll(async () => {
    slowFake = await startFakeGemini({ keys: { [KEYS[0]!]: 'valid', [SLOW_KEY]: { delayMs: 700 } } });
    slowGw = await startGateway({
      upstreamUrl: slowFake.url,
      keys: [KEYS[0]!],
      settings: { streamKeepaliveSeconds: 0.2 },
    });
  });
  afterAll(async () => {
    await slowFake.close();
    await slowGw.close();
  });
  beforeEach(() => {
    slowFake.reset();
  });

  it('a slow upstream (700 ms between events) gets `: keep-alive` comments and still completes', async () => {
    slowFake.script(() => ({ kind: 'slow', delayMs: 700, chunks: 2 }));
    const reply = await postChat(slowGw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'take your time' }],
      stream: true,
    });
    expect(reply.status).toBe(200);
    const blocks = parseOpenAISse(reply.text);
    const keepAlives = blocks.filter((b) => b.data === undefined);
    expect(keepAlives.length).toBeGreaterThanOrEqual(1);
    expect(keepAlives.every((b) => b.raw === ': keep-alive')).toBe(true);
    // They fill the gap between the two text events, not only the end.
    const firstText = blocks.findIndex((b) => b.data?.includes('"content":"E'));
    const lastKeepAlive = blocks.findLastIndex((b) => b.data === undefined);
    expect(lastKeepAlive).toBeGreaterThan(firstText);
    expect(contentOf(chunksOf(reply.text))).toBe('Echo: take your time');
  });

  it('keep-alives wait until Gemini accepted the stream, so a failover stays possible until then', async () => {
    // A key whose answers start 700 ms late (response headers included): until Gemini answers, a 429
    // or 503 could still move the request to another key, which a sent keep-alive would prevent.
    const lateGw = await startGateway({
      upstreamUrl: slowFake.url,
      keys: [SLOW_KEY],
      settings: { streamKeepaliveSeconds: 0.2 },
    });
    try {
      const reply = await postChat(lateGw, {
        model: 'gemini-2.0-flash',
        messages: [{ role: 'user', content: 'slow to start' }],
        stream: true,
      });
      const blocks = parseOpenAISse(reply.text);
      expect(blocks.length).toBeGreaterThan(1);
      expect(blocks.some((b) => b.raw === ': keep-alive')).toBe(false);
      expect(blocks[0]?.data).toBeDefined();
      expect(contentOf(chunksOf(reply.text))).toBe('Echo: slow to start');
    } finally {
      await lateGw.close();
    }
  });

  it('a failed attempt’s keep-alive clock stops: the next key, slow to answer, can still fail over', async () => {
    // Key 1 opens its stream and fails before any text (a 503 event), which moves the request to the
    // slow key. Its answer starts 700 ms late; a keep-alive armed by key 1's attempt must not go
    // out meanwhile, or the response would be committed while key 2 is undecided.
    const failing = KEYS[0]!;
    const gateway = await startGateway({
      upstreamUrl: slowFake.url,
      keys: [failing, SLOW_KEY],
      settings: { streamKeepaliveSeconds: 0.2 },
    });
    slowFake.script((r) => (r.key === failing ? { kind: 'midStreamError', afterChunks: 0 } : undefined));
    try {
      const reply = await postChat(gateway, {
        model: 'gemini-2.0-flash',
        messages: [{ role: 'user', content: 'second key please' }],
        stream: true,
      });
      expect(generateCalls(slowFake).map((r) => r.key)).toEqual([failing, SLOW_KEY]);
      const blocks = parseOpenAISse(reply.text);
      expect(blocks[0]?.data).toBeDefined();
      expect(blocks.some((b) => b.raw === ': keep-alive')).toBe(false);
      expect(contentOf(chunksOf(reply.text))).toBe('Echo: second key please');
    } finally {
      await gateway.close();
    }
  });

  it('the SDK ignores the comments', async () => {
    slowFake.script(() => ({ kind: 'slow', delayMs: 700, chunks: 2 }));
    const stream = await slowGw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'sdk and comments' }],
      stream: true,
    });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('Echo: sdk and comments');
    // role + 2 text chunks + finish: nothing extra surfaced from the comments.
    expect(chunks).toBe(4);
  });
});
