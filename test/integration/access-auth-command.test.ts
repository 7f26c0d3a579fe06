/**
 * The `auth <password>` chat command (issue "Access control" §5) over real sockets: from an
 * unauthorised client, a last user message that is exactly `auth <password>` (case-sensitive
 * password, surrounding whitespace ignored) authorises the client IP until restart or
 * AUTH_COMMAND_TTL_HOURS (fake clock) and is answered as a normal chat completion — stream or not —
 * without calling Gemini; a wrong password is answered likewise and counted, five in a row lock the
 * IP out (429 + Retry-After); a message that merely contains the word is an ordinary 401.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { chunksOf, contentOf } from '../support/openai-sse';

/** Mixed case on purpose: the seed lower-cased the password and so never matched such ones. */
const PASSWORD = 'Sesame-Open-9';
const START = Date.UTC(2030, 0, 1);
const MODEL = 'gemini-2.0-flash';

let fake: FakeGemini;
let gw: TestGateway;
let clock = START;
let nextIp = 1;
/** A fresh simulated client address per call, so tests do not share grants or lockouts. */
const freshIp = () => `198.51.100.${nextIp++}`;

beforeAll(async () => {
  fake = await startFakeGemini();
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    now: () => clock,
    settings: { password: PASSWORD, trustProxy: '127.0.0.1' },
  });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function chat(
  ip: string,
  body: Record<string, unknown>,
  authorization?: string,
  target: TestGateway = gw,
): Promise<Reply> {
  const res = await fetch(`${target.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': ip,
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ model: MODEL, ...body }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const say = (ip: string, content: unknown, extra: Record<string, unknown> = {}, target: TestGateway = gw) =>
  chat(ip, { messages: [{ role: 'user', content }], ...extra }, undefined, target);

const answerOf = (reply: Reply): string => {
  expect(reply.status).toBe(200);
  const body = JSON.parse(reply.text) as { object: string; choices: { message: { content: string } }[] };
  expect(body.object).toBe('chat.completion');
  return body.choices[0]?.message.content ?? '';
};

const modelsStatus = async (ip: string) =>
  (await fetch(`${gw.url}/v1/models`, { headers: { 'x-forwarded-for': ip } })).status;

describe('the right password', () => {
  it('authorises the IP and answers with a chat completion, without calling Gemini', async () => {
    const ip = freshIp();
    expect(await modelsStatus(ip)).toBe(401);
    const reply = await say(ip, `auth ${PASSWORD}`);
    const body = JSON.parse(reply.text) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: MODEL,
      created: Math.floor(START / 1000),
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }],
    });
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(answerOf(reply)).toMatch(
      new RegExp(`Authorised: ${ip.replace(/\./g, '\\.')} .*until the gateway restarts`),
    );
    expect(generateCalls(fake)).toHaveLength(0);

    // From now on the IP needs no credential, for raw calls and the SDK (which always sends some key).
    expect(await modelsStatus(ip)).toBe(200);
    const client = new OpenAI({
      apiKey: 'anything',
      baseURL: `${gw.url}/v1`,
      maxRetries: 0,
      defaultHeaders: { 'x-forwarded-for': ip },
    });
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]?.message.content).toBe('Echo: hi');
    // Other addresses are not.
    expect(await modelsStatus(freshIp())).toBe(401);
  });

  it('ignores surrounding whitespace, takes text parts, and looks at the last user message only', async () => {
    const cases: unknown[][] = [
      [{ role: 'user', content: `  \n\tauth ${PASSWORD} \n` }],
      [{ role: 'user', content: [{ type: 'text', text: `auth ${PASSWORD}` }] }],
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello?' },
        { role: 'assistant', content: 'Unauthorised.' },
        { role: 'user', content: `auth ${PASSWORD}` },
      ],
    ];
    for (const messages of cases) {
      const ip = freshIp();
      const reply = await chat(ip, { messages });
      expect(answerOf(reply), JSON.stringify(messages)).toMatch(/Authorised/);
      expect(await modelsStatus(ip)).toBe(200);
    }
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('works for a client that sent a wrong API key, too (the key is what the front-end swallowed)', async () => {
    const ip = freshIp();
    const reply = await chat(
      ip,
      { messages: [{ role: 'user', content: `auth ${PASSWORD}` }] },
      'Bearer sk-wrong',
    );
    expect(answerOf(reply)).toMatch(/Authorised/);
    expect(await modelsStatus(ip)).toBe(200);
  });

  it('streams the reply as a normal chat.completion.chunk stream when asked to', async () => {
    const ip = freshIp();
    const reply = await say(ip, `auth ${PASSWORD}`, {
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const chunks = chunksOf(reply.text);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(contentOf(chunks)).toMatch(/Authorised/);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toContain('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 0 } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(await modelsStatus(ip)).toBe(200);

    // The SDK reads it like any other stream.
    const sdkIp = freshIp();
    const client = new OpenAI({
      apiKey: 'none',
      baseURL: `${gw.url}/v1`,
      maxRetries: 0,
      defaultHeaders: { 'x-forwarded-for': sdkIp },
    });
    const stream = await client.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: `auth ${PASSWORD}` }],
    });
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of stream) received.push(chunk);
    expect(received.map((c) => c.choices[0]?.delta.content ?? '').join('')).toMatch(/Authorised/);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('with AUTH_COMMAND_TTL_HOURS the grant ends after that many hours (fake clock)', async () => {
    gw.settings.update({ authCommandTtlHours: 2 });
    try {
      const ip = freshIp();
      expect(answerOf(await say(ip, `auth ${PASSWORD}`))).toMatch(/for 2 h/);
      clock += 2 * 3600_000 - 1000;
      expect(await modelsStatus(ip)).toBe(200);
      clock += 1000;
      expect(await modelsStatus(ip)).toBe(401);
    } finally {
      gw.settings.update({ authCommandTtlHours: 0 });
    }
  });

  it('changing PASSWORD ends every grant (a leaked password can be rotated away)', async () => {
    const ip = freshIp();
    expect(answerOf(await say(ip, `auth ${PASSWORD}`))).toMatch(/Authorised/);
    gw.settings.update({ authCommandTtlHours: 0 });
    expect(await modelsStatus(ip)).toBe(200);
    gw.settings.update({ password: 'Rotated-Pass-2' });
    try {
      expect(await modelsStatus(ip)).toBe(401);
      expect(answerOf(await say(ip, `auth ${PASSWORD}`))).toMatch(/Wrong password/);
      expect(answerOf(await say(ip, 'auth Rotated-Pass-2'))).toMatch(/Authorised/);
    } finally {
      gw.settings.update({ password: PASSWORD });
    }
  });

  it('lasts until restart: a new core does not know the grant', async () => {
    const ip = freshIp();
    expect(answerOf(await say(ip, `auth ${PASSWORD}`))).toMatch(/Authorised/);
    const restarted = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { password: PASSWORD, trustProxy: '127.0.0.1' },
      dataDir: gw.dataDir,
    });
    try {
      const res = await fetch(`${restarted.url}/v1/models`, { headers: { 'x-forwarded-for': ip } });
      expect(res.status).toBe(401);
    } finally {
      await restarted.abandon();
    }
  });
});

describe('behind a proxy the gateway does not trust', () => {
  it('the right password authorises nothing: the address is the proxy’s, shared by everyone behind it', async () => {
    // TRUST_PROXY off: every request here comes from 127.0.0.1, whatever X-Forwarded-For says.
    const untrusting = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { password: PASSWORD, trustProxy: 'false' },
    });
    try {
      const reply = await say(freshIp(), `auth ${PASSWORD}`, {}, untrusting);
      expect(answerOf(reply)).toMatch(
        /^⚠️ Not authorised: this request came through a proxy \(127\.0\.0\.1\)/,
      );
      expect(answerOf(reply)).toContain('TRUST_PROXY');
      // Nobody got in: not this caller, not the next one behind the same proxy.
      const another = await fetch(`${untrusting.url}/v1/models`, {
        headers: { 'x-forwarded-for': freshIp() },
      });
      expect(another.status).toBe(401);
      // The owner is told once, whatever the number of such requests.
      await say(freshIp(), `auth ${PASSWORD}`, {}, untrusting);
      const warnings = untrusting.core.log
        .recent()
        .filter(
          (e) => e.level === 'warn' && e.message.startsWith('Requests come through a proxy at 127.0.0.1'),
        );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toContain('TRUST_PROXY=true');
      // A wrong password still counts as one.
      expect(answerOf(await say('203.0.113.9', `auth wrong-${PASSWORD}`, {}, untrusting))).toMatch(
        /Wrong password/,
      );
    } finally {
      await untrusting.close();
    }
  });

  it('without forwarding headers the socket address is the client: the grant works as before', async () => {
    const direct = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { password: PASSWORD, trustProxy: 'false' },
    });
    try {
      const res = await fetch(`${direct.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `auth ${PASSWORD}` }] }),
      });
      expect(answerOf({ status: res.status, headers: res.headers, text: await res.text() })).toMatch(
        /Authorised: 127\.0\.0\.1/,
      );
      expect(
        direct.core.log.recent().some((e) => e.message.startsWith('Requests come through a proxy')),
      ).toBe(false);
    } finally {
      await direct.close();
    }
  });
});

describe('the wrong password', () => {
  it('the password is case-sensitive: a lower-cased one is wrong, answered as a chat completion', async () => {
    const ip = freshIp();
    for (const attempt of [
      PASSWORD.toLowerCase(),
      PASSWORD.toUpperCase(),
      `${PASSWORD}x`,
      PASSWORD.slice(1),
    ]) {
      expect(answerOf(await say(ip, `auth ${attempt}`))).toMatch(/Wrong password/);
    }
    expect(await modelsStatus(ip)).toBe(401);
    expect(generateCalls(fake)).toHaveLength(0);
    const entry = await vi.waitFor(() => {
      const found = gw.core.log
        .recent()
        .findLast((e) => e.request?.errorCode === 'auth_command_wrong_password');
      if (!found) throw new Error('not logged yet');
      return found;
    });
    expect(entry.request).toMatchObject({ ip, status: 200, path: '/v1/chat/completions' });
    const logged = JSON.stringify(gw.core.log.recent());
    expect(logged).not.toContain(PASSWORD);
    expect(logged).not.toContain(PASSWORD.toLowerCase());
  });

  it('a wrong-password reply streams too', async () => {
    const reply = await say(freshIp(), 'auth nope', { stream: true });
    expect(reply.status).toBe(200);
    expect(contentOf(chunksOf(reply.text))).toMatch(/Wrong password/);
  });

  it('five wrong passwords lock the IP out: 429 + Retry-After, even for the right one, until the window ends', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect(answerOf(await say(ip, `auth guess-${i}`))).toMatch(/Wrong password/);
    const locked = await say(ip, `auth ${PASSWORD}`);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(JSON.parse(locked.text)).toMatchObject({
      error: { type: 'rate_limit_error', code: 'auth_attempts_exceeded', param: null },
    });
    expect(await modelsStatus(ip)).toBe(401);
    // Someone else is not locked out.
    expect(answerOf(await say(freshIp(), `auth ${PASSWORD}`))).toMatch(/Authorised/);

    clock += (retryAfter - 1) * 1000;
    expect((await say(ip, `auth ${PASSWORD}`)).status).toBe(429);
    clock += 1000;
    expect(answerOf(await say(ip, `auth ${PASSWORD}`))).toMatch(/Authorised/);
    expect(generateCalls(fake)).toHaveLength(0);
  });
});

describe('not the command', () => {
  it('a message that merely contains it is an ordinary 401 and authorises nothing', async () => {
    const ip = freshIp();
    const messages: unknown[][] = [
      [{ role: 'user', content: `please auth ${PASSWORD} now` }],
      [{ role: 'user', content: `I typed "auth ${PASSWORD}" yesterday` }],
      [{ role: 'user', content: 'auth' }],
      [{ role: 'user', content: `auth${PASSWORD}` }],
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: `auth ${PASSWORD}` },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
      ],
      // The command in an earlier message, or in a system message, does not count.
      [
        { role: 'user', content: `auth ${PASSWORD}` },
        { role: 'user', content: 'and now answer' },
      ],
      [{ role: 'system', content: `auth ${PASSWORD}` }],
    ];
    for (const list of messages) {
      const reply = await chat(ip, { messages: list });
      expect(reply.status, JSON.stringify(list)).toBe(401);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'invalid_api_key' } });
    }
    expect(await modelsStatus(ip)).toBe(401);
    expect(gw.core.authorisedIps.lockedFor(ip)).toBe(0);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('from a client that is already in, "auth …" is just a message for Gemini', async () => {
    const reply = await chat(
      freshIp(),
      { messages: [{ role: 'user', content: `auth ${PASSWORD}` }] },
      `Bearer ${PASSWORD}`,
    );
    expect(answerOf(reply)).toBe(`Echo: auth ${PASSWORD}`);
    expect(generateCalls(fake)).toHaveLength(1);
  });

  it('an unauthenticated body over 64 KiB is refused before it is parsed', async () => {
    const ip = freshIp();
    const reply = await chat(ip, {
      messages: [
        { role: 'user', content: 'x'.repeat(70 * 1024) },
        { role: 'user', content: `auth ${PASSWORD}` },
      ],
    });
    expect(reply.status).toBe(401);
    expect(await modelsStatus(ip)).toBe(401);
  });
});
