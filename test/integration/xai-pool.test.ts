/**
 * Who may use /xai/ and with which xAI key (issue "xAI relay", access rules), over real sockets:
 * the gateway password or an access key gets a pooled XAI_API_KEYS key (round-robin; a 429 cools
 * the key down and the next one is used); any other Bearer token shaped like an xAI key (`xai-…`) is
 * the caller's own and is never counted as a wrong password, while one that is not is a wrong
 * gateway password; no token works only for allow-listed or `auth`-authorised IPs.
 * The deny list, the rate limits and the request log apply as on /v1 — except that an own key's
 * requests do not count toward the gateway-wide MAX_REQUESTS_PER_MINUTE (xai-own-key.test.ts).
 */
import { gzipSync } from 'node:zlib';
import OpenAI, { AuthenticationError } from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'xai-pool-Password-2';
const K1 = 'xai-FAKE-pooled-key-0000001';
const K2 = 'xai-FAKE-pooled-key-0000002';

let fake: FakeXai;
let gw: TestGateway;
let baseline: Settings;
const extra: TestGateway[] = [];

beforeAll(async () => {
  fake = await startFakeXai({ keys: [FAKE_XAI_KEY, K1, K2] });
  gw = await gateway();
  baseline = gw.settings.get();
});
afterAll(async () => {
  await fake.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  fake.setKeys([FAKE_XAI_KEY, K1, K2]);
  gw.settings.update(baseline);
  gw.core.xaiKeys.setKeys([]); // forget cooldowns and counters of the previous test
  gw.core.xaiKeys.setKeys(baseline.xaiApiKeys);
  gw.core.log.clear();
});
afterEach(async () => {
  for (const other of extra.splice(0)) await other.close();
});

async function gateway(settings: Partial<Settings> = {}): Promise<TestGateway> {
  return startGateway({
    upstreamUrl: 'http://127.0.0.1:9', // no Gemini call is made here
    keys: [],
    settings: {
      password: PASSWORD,
      xaiBaseUrl: fake.url,
      xaiApiKeys: [K1, K2],
      keyCooldownSeconds: 60,
      ...settings,
    },
  });
}

const client = (apiKey: string, target = gw) =>
  new OpenAI({ apiKey, baseURL: `${target.url}/xai/v1`, maxRetries: 0 });

/** A gateway error, or whatever xAI answered (compared as a whole). */
type Body = { error: { message: string; type: string; code: string | null } } & Record<string, unknown>;

interface Reply {
  status: number;
  headers: Headers;
  body: Body;
}

async function call(
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; target?: TestGateway } = {},
): Promise<Reply> {
  const res = await fetch(`${(init.target ?? gw).url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Body,
  };
}

const chatBody = { model: 'grok-4', messages: [{ role: 'user', content: 'hello' }] };
const keysSeen = () => fake.requests.map((r) => r.key);
const healthOf = (key: string) => gw.core.xaiKeys.health().find((h) => gw.core.xaiKeys.keyOf(h.id) === key);
const statusOf = (key: string) => healthOf(key)?.status;
const warnings = () =>
  gw.core.log
    .recent()
    .filter((e) => e.level === 'warn')
    .map((e) => e.message);

/** xAI's 403 for a team without credits (wire-format §5.6; the message as seen in the wild). */
const NO_CREDITS = {
  code: 'The caller does not have permission to execute the specified operation',
  error: "Your newly created team doesn't have any credits yet.",
};

describe('pooled keys', () => {
  it('the password gets pooled keys in rotation, never forwarded itself', async () => {
    const sdk = client(PASSWORD);
    for (let i = 0; i < 4; i++) {
      const res = await sdk.chat.completions.create({
        model: 'grok-4',
        messages: [{ role: 'user', content: `#${i}` }],
      });
      expect(res.choices[0]?.message.content).toBe(`Echo: #${i}`);
    }
    const seen = keysSeen();
    expect(new Set(seen.slice(0, 2))).toEqual(new Set([K1, K2]));
    expect(seen.slice(2)).toEqual(seen.slice(0, 2));
    expect(fake.requests.every((r) => !JSON.stringify(r.headers).includes(PASSWORD))).toBe(true);
    expect(gw.core.xaiKeys.health().map((h) => h.successes)).toEqual([2, 2]);
  });

  it('an access key gets a pooled key too, and its use is counted', async () => {
    const { key, record } = gw.core.accessKeys.create({ name: 'xai user' });
    const list = await client(key).models.list();
    expect(list.data.length).toBeGreaterThan(0);
    expect([K1, K2]).toContain(fake.requests[0]?.key);
    expect(gw.core.accessKeys.list().find((k) => k.id === record.id)?.used).toBe(1);
  });

  it('429 → the key cools down and the next key answers; later requests skip the cooling key', async () => {
    let limited: string | undefined;
    fake.script((r) => {
      limited ??= r.key;
      return r.key === limited
        ? {
            kind: 'error',
            status: 429,
            body: { code: 'Some resource has been exhausted', error: 'slow down' },
            headers: { 'retry-after': '30' },
          }
        : undefined;
    });
    const first = await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody });
    expect(first.status).toBe(200);
    const other = limited === K1 ? K2 : K1;
    expect(keysSeen()).toEqual([limited, other]);
    expect(statusOf(limited!)).toBe('cooling');

    expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect((await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody })).status).toBe(200);
    expect(keysSeen().slice(2)).toEqual([other, other]);
  });

  it('every key rate limited: xAI’s 429 passes through; then the gateway answers 429 itself, with Retry-After', async () => {
    fake.script(() => ({
      kind: 'error',
      status: 429,
      body: { code: 'Some resource has been exhausted', error: 'slow down' },
    }));
    const limited = await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 'Some resource has been exhausted', error: 'slow down' });
    expect(new Set(keysSeen())).toEqual(new Set([K1, K2]));

    const refused = await call('/xai/v1/models', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'all_keys_rate_limited', type: 'rate_limit_error' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(fake.requests).toHaveLength(2);
  });

  it('a streamed body is not replayed: its 429 goes back, the next request uses the next key', async () => {
    let limited: string | undefined;
    fake.script((r) => {
      limited ??= r.key;
      return r.key === limited
        ? { kind: 'error', status: 429, body: { code: 'x', error: 'slow down' } }
        : undefined;
    });
    // Image edits stream through (image generations are read first: xai-image-generations.test.ts).
    const body = {
      model: 'grok-imagine-image',
      prompt: 'a hat',
      image: { url: 'data:image/png;base64,AAAA' },
    };
    const first = await call('/xai/v1/images/edits', PASSWORD, { body });
    expect(first.status).toBe(429);
    const second = await call('/xai/v1/images/edits', PASSWORD, { body });
    expect(second.status).toBe(200);
    expect(keysSeen()).toEqual([limited, limited === K1 ? K2 : K1]);
  });

  it('a key xAI rejects is disabled, logged with its masked key, and the request moves on', async () => {
    fake.setKeys([FAKE_XAI_KEY, K2]);
    for (let i = 0; i < 3; i++) expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect(statusOf(K1)).toBe('disabled');
    expect(keysSeen().filter((k) => k === K1)).toHaveLength(1);
    expect(warnings()).toEqual([
      'xAI key xai-…0001 disabled: HTTP 400 from xAI: Incorrect API key provided: xa***01. You can obtain an API key from https://console.x.ai.',
    ]);
  });

  it('403 (no credits) → the next key answers; the refused key cools down for that model, with the reason in its health and the log', async () => {
    fake.script((r) => (r.key === K1 ? { kind: 'error', status: 403, body: NO_CREDITS } : undefined));
    const sdk = client(PASSWORD);
    for (let i = 0; i < 2; i++) {
      const res = await sdk.chat.completions.create({
        model: 'grok-4',
        messages: [{ role: 'user', content: `#${i}` }],
      });
      expect(res.choices[0]?.message.content).toBe(`Echo: #${i}`);
    }
    expect(keysSeen()).toEqual([K1, K2, K2]);
    const reason = `HTTP 403 from xAI: ${NO_CREDITS.error}`;
    expect(healthOf(K1)).toMatchObject({
      status: 'cooling',
      disabledReason: null,
      lastError: { status: 403, message: reason },
    });
    expect(warnings()).toEqual([`xAI key xai-…0001 cooled down for 60 s for grok-4: ${reason}`]);

    // Another model may still be open to the team: K1 is tried for it (and here refused again).
    await sdk.chat.completions.create({ model: 'grok-3-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(keysSeen().slice(3)).toEqual([K1, K2]);
  });

  it('a 403 on a request naming no model cools the key for that method and path only', async () => {
    // As for a key whose endpoint ACL leaves out the model list: chat must still get the key.
    fake.script((r) =>
      r.key === K1 && r.path === '/v1/models' ? { kind: 'error', status: 403, body: NO_CREDITS } : undefined,
    );
    expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect((await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody })).status).toBe(200);
    expect(keysSeen()).toEqual([K1, K2, K2, K1]);
    expect(warnings()).toEqual([
      `xAI key xai-…0001 cooled down for 60 s for GET /v1/models: HTTP 403 from xAI: ${NO_CREDITS.error}`,
    ]);
  });

  it('every key 403 → xAI’s last 403 passes through; then the gateway’s own 429, OpenAI-shaped, saying why', async () => {
    fake.script(() => ({ kind: 'error', status: 403, body: NO_CREDITS }));
    const refused = await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(NO_CREDITS);
    expect(new Set(keysSeen())).toEqual(new Set([K1, K2]));
    expect(statusOf(K1)).toBe('cooling');
    expect(statusOf(K2)).toBe('cooling');

    const resting = await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody });
    expect(resting.status).toBe(429);
    expect(resting.body.error).toMatchObject({ code: 'all_keys_rate_limited', type: 'rate_limit_error' });
    expect(resting.body.error.message).toContain('403');
    expect(Number(resting.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(fake.requests).toHaveLength(2);
  });

  it('a revoked key is recognised even when the caller accepts gzip: pooled calls ask xAI for identity', async () => {
    // Like a real server: the 400 comes gzip-compressed whenever the request accepts it.
    const rejected = JSON.stringify({
      code: 'Client specified an invalid argument',
      error: 'Incorrect API key provided: xa***01. You can obtain an API key from https://console.x.ai.',
    });
    fake.script((r) => {
      if (r.key !== K1) return undefined;
      const gzip = /\bgzip\b/.test(String(r.headers['accept-encoding'] ?? ''));
      const bytes = gzip ? gzipSync(rejected) : Buffer.from(rejected);
      return {
        kind: 'raw',
        status: 400,
        headers: {
          'content-type': 'application/json',
          'content-length': String(bytes.length),
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        },
        chunks: [bytes],
      };
    });
    for (let i = 0; i < 3; i++) {
      const res = await call('/xai/v1/chat/completions', PASSWORD, {
        body: chatBody,
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
    }
    expect(statusOf(K1)).toBe('disabled');
    expect(keysSeen()).toEqual([K1, K2, K2, K2]);
    expect(fake.requests.every((r) => r.headers['accept-encoding'] === 'identity')).toBe(true);
  });

  it('saving XAI_API_KEYS again gives a key xAI rejected another chance; other saves do not', async () => {
    fake.setKeys([FAKE_XAI_KEY, K2]);
    expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect(statusOf(K1)).toBe('disabled');
    fake.setKeys([FAKE_XAI_KEY, K1, K2]); // the owner fixed the key at xAI

    gw.settings.update({ password: PASSWORD }); // another setting saved: nothing changes
    expect(statusOf(K1)).toBe('disabled');
    gw.settings.update({ xaiApiKeys: [...baseline.xaiApiKeys] }); // the same keys, saved again
    expect(healthOf(K1)).toMatchObject({ status: 'active', disabledReason: null });
    expect(gw.core.log.recent().map((e) => e.message)).toContain(
      'xAI key xai-…0001 enabled again: XAI_API_KEYS was saved with it.',
    );
    fake.reset();
    for (let i = 0; i < 2; i++) expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect(new Set(keysSeen())).toEqual(new Set([K1, K2]));
  });

  it('/health counts the pooled xAI keys by state, and shows no key', async () => {
    fake.setKeys([FAKE_XAI_KEY, K2]);
    await call('/xai/v1/models', PASSWORD);
    const res = await fetch(`${gw.url}/health`);
    const text = await res.text();
    expect((JSON.parse(text) as { xaiKeys: unknown }).xaiKeys).toEqual({
      total: 2,
      active: 1,
      cooling: 0,
      disabled: 1,
    });
    for (const secret of [K1, K2, ...gw.core.xaiKeys.health().flatMap((h) => [h.masked, h.id])]) {
      expect(text).not.toContain(secret);
    }
  });

  it('XAI_API_KEYS empty → the password gets a 401 saying to send an own key; keys apply live', async () => {
    gw.settings.update({ xaiApiKeys: [] });
    const err = await client(PASSWORD)
      .models.list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const res = await call('/xai/v1/models', PASSWORD);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('XAI_API_KEYS');
    expect(res.body.error.message).toContain('own xAI API key');
    expect(fake.requests).toHaveLength(0);

    gw.settings.update({ xaiApiKeys: [K2] });
    expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
    expect(keysSeen()).toEqual([K2]);
  });
});

describe('the caller’s own key', () => {
  it('is forwarded as is, also where pooled keys exist', async () => {
    expect((await call('/xai/v1/models', FAKE_XAI_KEY)).status).toBe(200);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${FAKE_XAI_KEY}`);
    expect(gw.core.xaiKeys.health().every((h) => h.requests === 0)).toBe(true);
  });

  it('a wrong one is xAI’s 400, never a wrong gateway password: no lockout however many', async () => {
    for (let i = 0; i < 15; i++) {
      const res = await call('/xai/v1/models', `xai-wrong-key-${i}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'Client specified an invalid argument' });
    }
    expect(gw.core.credentialThrottle.lockedFor('127.0.0.1')).toBe(0);
    expect((await call('/xai/v1/models', PASSWORD)).status).toBe(200);
  });

  it('a token not shaped like an xAI key is a wrong gateway password: 401, counted, never sent to xAI', async () => {
    const other = await gateway();
    extra.push(other);
    const wrong = await call('/xai/v1/models', 'not-the-password', { target: other });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_api_key');
    expect(wrong.body.error.message).toContain('start with xai-');
    for (let i = 0; i < 9; i++) await call('/xai/v1/models', `guess-${i}`, { target: other });
    // Ten wrong guesses lock the address out, here as on /v1: even the password waits now.
    const locked = await call('/v1/models', PASSWORD, { target: other });
    expect(locked.status).toBe(429);
    expect(fake.requests).toHaveLength(0);
  });

  it('a client locked out on /v1 for wrong passwords cannot use /xai/ to keep guessing', async () => {
    const other = await gateway();
    extra.push(other);
    for (let i = 0; i < 10; i++) await call('/v1/models', `wrong-${i}`, { target: other });
    const locked = await call('/xai/v1/models', PASSWORD, { target: other });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('auth_attempts_exceeded');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('no token', () => {
  it('→ 401 in the OpenAI shape', async () => {
    const res = await call('/xai/v1/models', undefined);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(res.body.error.message).toContain('xAI API key');
    expect(fake.requests).toHaveLength(0);
  });

  it('→ a pooled key for an allow-listed IP', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    expect((await call('/xai/v1/models', undefined)).status).toBe(200);
    expect([K1, K2]).toContain(fake.requests[0]?.key);
  });

  it('→ not for a page on another site, even from an allow-listed IP: the pooled keys stay unused', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    const page = await call('/xai/v1/models', undefined, { headers: { origin: 'https://evil.example' } });
    expect(page.status).toBe(401);
    expect(page.body.error.message).toContain(
      'A web page (https://evil.example) must send the gateway password',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('→ a pooled key for an IP authorised with the `auth` command', async () => {
    const auth = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: `auth ${PASSWORD}` }] }),
    });
    expect(auth.status).toBe(200);
    try {
      expect((await call('/xai/v1/models', undefined)).status).toBe(200);
      expect([K1, K2]).toContain(fake.requests[0]?.key);
    } finally {
      gw.core.authorisedIps.revokeAll();
    }
  });
});

describe('deny list, rate limits, request log', () => {
  it('a denied IP is refused (403) whatever it sends; xAI is never called', async () => {
    gw.settings.update({ blacklistIps: ['127.0.0.1'] });
    for (const token of [FAKE_XAI_KEY, PASSWORD, undefined]) {
      const res = await call('/xai/v1/models', token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ip_blocked');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('MAX_REQUESTS_PER_MINUTE counts /xai/ requests on pooled keys, not own keys → 429 OpenAI-shaped', async () => {
    const limited = await gateway({ maxRequestsPerMinute: 2 });
    extra.push(limited);
    expect((await call('/xai/v1/models', FAKE_XAI_KEY, { target: limited })).status).toBe(200);
    expect((await call('/xai/v1/models', PASSWORD, { target: limited })).status).toBe(200);
    expect((await call('/xai/v1/models', PASSWORD, { target: limited })).status).toBe(200);
    const fourth = await call('/xai/v1/models', PASSWORD, { target: limited });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(fourth.headers.get('retry-after')).not.toBeNull();
    expect(fake.requests).toHaveLength(3);
    // An own key spends no pooled key's quota: still served.
    expect((await call('/xai/v1/models', FAKE_XAI_KEY, { target: limited })).status).toBe(200);
  });

  it('MAX_REQUESTS_PER_DAY_PER_IP applies too', async () => {
    const limited = await gateway({ maxRequestsPerDayPerIp: 1 });
    extra.push(limited);
    expect((await call('/xai/v1/models', FAKE_XAI_KEY, { target: limited })).status).toBe(200);
    expect((await call('/xai/v1/models', FAKE_XAI_KEY, { target: limited })).status).toBe(429);
    expect(fake.requests).toHaveLength(1);
  });

  it('one request log entry per request, with the masked key, never the key itself', async () => {
    await call('/xai/v1/chat/completions', PASSWORD, { body: chatBody });
    await call('/xai/v1/models', FAKE_XAI_KEY);
    await call('/xai/v1/models', 'xai-wrong-key-for-the-log');
    const entries = gw.core.log.recent().filter((e) => e.request);
    expect(entries.map((e) => [e.request?.path, e.request?.status, e.request?.key])).toEqual([
      ['/xai/v1/chat/completions', 200, expect.stringMatching(/^xai-…000[12]$/)],
      ['/xai/v1/models', 200, 'xai-…0001'],
      ['/xai/v1/models', 400, 'xai-…-log'],
    ]);
    expect(entries[0]?.request?.model).toBe('grok-4');
    const text = JSON.stringify(gw.core.log.recent());
    for (const secret of [K1, K2, FAKE_XAI_KEY, PASSWORD]) expect(text).not.toContain(secret);
  });
});
