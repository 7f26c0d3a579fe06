/**
 * The password gate (issue "Access control" §1, §8) over real sockets: Bearer on /v1, x-goog-api-key
 * or ?key= on the Gemini-native prefixes with Gemini-shaped refusals (an accepted request reaches the
 * Gemini-shaped 404), every refusal logged with its reason and without the secret, and no way around
 * the gate through a URL the router decodes (`/%761/…`) or an absolute-form request-target.
 */
import { connect } from 'node:net';
import { Pool } from 'undici';
import OpenAI, { AuthenticationError } from 'openai';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { settingsDefaults } from '../../shared/settings-schema';
import type { FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';
import { getPath, postChat } from '../support/openai-sse';

const PASSWORD = 'Tr0ub4dor-and-3';
const WRONG = 'wrong-Secret-42';
const CHAT = { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hello' }] };

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started), { settings: { password: PASSWORD } });
beforeEach(() => {
  // Each test starts with a clean record of wrong keys from 127.0.0.1 (the lockout has its own tests).
  gw.core.credentialThrottle.clear('127.0.0.1');
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}${path}`, { headers });
  const body: unknown = await res.json();
  return { status: res.status, headers: res.headers, body };
}

/** One request written byte for byte on a socket, for request-targets fetch would rewrite. */
function rawHttp(target: string, method = 'GET', body = ''): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(
        `${method} ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n` +
          (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
          `\r\n${body}`,
      );
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
  });
}

const logEntryFor = (path: string, status: number) =>
  vi.waitFor(() => {
    const entry = gw.core.log
      .recent()
      .reverse()
      .find((e) => e.request?.path === path && e.request.status === status);
    if (!entry) throw new Error(`no log entry for ${path} ${status}`);
    return entry;
  });

describe('OpenAI dialect (/v1): Authorization: Bearer <password>', () => {
  it('missing → 401 "Missing API key" in OpenAI shape, without calling Gemini', async () => {
    const reply = await postChat(gw, CHAT, { password: null });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.text)).toEqual({
      error: {
        message: expect.stringMatching(/^Missing API key/) as unknown,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('wrong → 401 "Incorrect API key", and the SDK raises AuthenticationError', async () => {
    const models = await getPath(gw, '/v1/models', WRONG);
    expect(models.status).toBe(401);
    expect(JSON.parse(models.text)).toMatchObject({
      error: { code: 'invalid_api_key', message: expect.stringMatching(/^Incorrect API key/) as unknown },
    });

    const intruder = new OpenAI({ apiKey: WRONG, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const err = await intruder.chat.completions.create(CHAT as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('is compared exactly: case, prefixes, suffixes and other headers do not count', async () => {
    for (const attempt of [
      PASSWORD.toLowerCase(),
      PASSWORD.toUpperCase(),
      PASSWORD.slice(0, -1),
      `${PASSWORD}x`,
    ]) {
      expect((await getPath(gw, '/v1/models', attempt)).status, attempt).toBe(401);
    }
    // The Gemini-style places are not credentials on the OpenAI routes. (GET /v1/models with one of
    // them and no Bearer token is Google's v1 model list: native-gemini-v1.test.ts.)
    const embed = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'text-embedding-004', input: 'x' }),
      }).then((r) => r.status);
    expect(await embed('/v1/embeddings', { 'x-goog-api-key': PASSWORD })).toBe(401);
    expect(await embed(`/v1/embeddings?key=${PASSWORD}`)).toBe(401);
    expect((await get('/v1/models', { authorization: `Basic ${PASSWORD}` })).status).toBe(401);
  });

  it('right → the request reaches Gemini (raw fetch and the SDK)', async () => {
    expect((await getPath(gw, '/v1/models', PASSWORD)).status).toBe(200);
    const res = await gw.openai.chat.completions.create(CHAT as never);
    expect(res.choices[0]?.message.content).toBe('Echo: hello');
    expect(generateCalls(fake)).toHaveLength(1);
  });

  it('the default password is "123"', () => {
    expect(settingsDefaults('headless').password).toBe('123');
  });
});

describe('Gemini dialect (/v1beta, /gemini): x-goog-api-key or ?key=', () => {
  const NATIVE = [
    '/v1beta/models',
    '/v1beta/models/gemini-2.0-flash:generateContent',
    '/gemini/v1beta/models',
  ];

  it('a refusal is Gemini-shaped: {"error":{"code","message","status"}}', async () => {
    for (const path of NATIVE) {
      for (const headers of [{}, { 'x-goog-api-key': WRONG }] as Record<string, string>[]) {
        const reply = await get(path, headers);
        expect(reply.status, path).toBe(401);
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
        expect(reply.body).toEqual({
          error: { code: 401, message: expect.any(String) as unknown, status: 'UNAUTHENTICATED' },
        });
      }
    }
    const missing = (await get('/v1beta/models')).body as { error: { message: string } };
    expect(missing.error.message).toMatch(/x-goog-api-key or \?key=/);
    expect((await get(`/v1beta/models?key=${WRONG}`)).status).toBe(401);
  });

  it('an accepted request goes on to the Gemini-shaped 404 of a native route the gateway lacks', async () => {
    const accepted = [
      // Not files: those have their own 404 that says why (native-files.test.ts).
      await get('/v1beta/tunedModels', { 'x-goog-api-key': PASSWORD }),
      await get(`/v1beta/batches?key=${encodeURIComponent(PASSWORD)}`),
      await get('/gemini/v1beta/cachedContents', { authorization: `Bearer ${PASSWORD}` }),
    ];
    for (const reply of accepted) {
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        error: {
          code: 404,
          message: expect.stringMatching(/^Unknown route/) as unknown,
          status: 'NOT_FOUND',
        },
      });
      // The key given in the query never comes back.
      expect(JSON.stringify(reply.body)).not.toContain(PASSWORD);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('refusals are logged with their reason and no secret', () => {
  it('a wrong password: warn entry with errorCode invalid_api_key, IP, status; neither secret appears', async () => {
    await getPath(gw, '/v1/models', WRONG);
    const entry = await logEntryFor('/v1/models', 401);
    expect(entry.level).toBe('warn');
    expect(entry.request).toMatchObject({ errorCode: 'invalid_api_key', ip: '127.0.0.1', method: 'GET' });

    await get(`/v1beta/files?key=${PASSWORD}`);
    await logEntryFor('/v1beta/files', 404);
    const everything = JSON.stringify(gw.core.log.recent());
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(PASSWORD);
  });
});

describe('no way around the gate through the URL', () => {
  it('percent-encoded paths the router decodes are guarded like the plain ones', async () => {
    for (const path of ['/%761/models', '/v%31/models', '/%76%31/models', '/v1/%6dodels']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(401);
    }
    const chat = await fetch(`${gw.url}/%761/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CHAT),
    });
    expect(chat.status).toBe(401);
    expect(await get('/%761beta/models')).toMatchObject({ status: 401 });
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('an absolute-form request-target (GET http://host/v1/…) is guarded too', async () => {
    const { host } = new URL(gw.url);
    expect((await rawHttp(`http://${host}/v1/models`)).status).toBe(401);
    expect((await rawHttp(`https://example.com/v1/models?x=1`)).status).toBe(401);
    const chat = await rawHttp(`http://${host}/v1/chat/completions`, 'POST', JSON.stringify(CHAT));
    expect(chat.status).toBe(401);
    expect(generateCalls(fake)).toHaveLength(0);
  });
});

describe('brute-force guard on the API key', () => {
  it('after 10 wrong keys the address is refused without comparing, even the right key, with Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await get('/v1/models', { authorization: `Bearer wrong-${i}` })).status).toBe(401);
    }
    const wrong = await get('/v1/models', { authorization: 'Bearer wrong-again' });
    expect(wrong.status).toBe(429);
    expect((wrong.body as { error: { code: string } }).error.code).toBe('auth_attempts_exceeded');
    expect(Number(wrong.headers.get('retry-after'))).toBeGreaterThan(800);
    // Not even the right key is compared now: a correct guess must look like any other.
    const right = await get('/v1/models', { authorization: `Bearer ${PASSWORD}` });
    expect(right.status).toBe(429);
    expect(fake.requests).toHaveLength(0);
  });

  it('missing keys are not failures, and the auth command stays open to a locked-out address', async () => {
    for (let i = 0; i < 12; i++) expect((await get('/v1/models')).status).toBe(401);
    expect((await get('/v1/models', { authorization: `Bearer ${PASSWORD}` })).status).toBe(200);
    for (let i = 0; i < 10; i++) await get('/v1/models', { authorization: 'Bearer placeholder' });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer placeholder', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: `auth ${PASSWORD}` }],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toContain('Authorised');
    gw.core.authorisedIps.revokeAll();
  });
});

describe('one keep-alive connection', () => {
  it('keeps asking for the password, and a changed password shuts out the old one at once', async () => {
    const pool = new Pool(gw.url, { connections: 1, pipelining: 1 });
    const send = async (token: string) => {
      const res = await pool.request({
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(CHAT),
      });
      await res.body.text();
      return res.statusCode;
    };
    try {
      expect(await send(PASSWORD)).toBe(200);
      expect(await send(PASSWORD)).toBe(200);
      expect(await send(WRONG)).toBe(401);
      expect(await send(PASSWORD)).toBe(200);
      gw.settings.update({ password: 'a-new-Password-7' });
      expect(await send(PASSWORD)).toBe(401);
      expect(await send('a-new-Password-7')).toBe(200);
      expect(pool.stats.connected).toBe(1); // all of it on the one connection
    } finally {
      gw.settings.update({ password: PASSWORD });
      gw.core.credentialThrottle.clear('127.0.0.1');
      await pool.close();
    }
  });
});
