/**
 * GET /metrics: Prometheus text, protected by METRICS_TOKEN or the admin credential, whose wrong
 * guesses count in the admin login's per-IP lockout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_WINDOW_MS, MAX_AUTH_FAILURES } from '../../main/server/access/authorised-ips';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { sample } from '../support/prometheus';

let fake: FakeGemini;
let gw: TestGateway;

const metrics = (token?: string) =>
  fetch(`${gw.url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  fake = await startFakeGemini({
    keys: { [DEFAULT_FAKE_KEY]: 'valid', 'AIzaFAKE-invalid-key-0002': 'invalid' },
  });
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY, 'AIzaFAKE-invalid-key-0002'],
    settings: { password: 'api-pass', adminPassword: 'admin-pass' },
  });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

describe('/metrics', () => {
  it('is not public: no token, the API password or a wrong token → 401', async () => {
    for (const token of [undefined, 'api-pass', 'nope']) {
      const res = await metrics(token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
  });

  it('counts requests by route and status, upstream latency, tokens, keys, images', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'count me' }],
    });
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw' }],
    });
    await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer wrong' } });

    const res = await metrics('admin-pass');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(
      sample(text, 'gemgate_http_requests_total{route="/v1/chat/completions",method="POST",status="200"}'),
    ).toBe(2);
    expect(sample(text, 'gemgate_http_requests_total{route="/v1/models",method="GET",status="401"}')).toBe(1);
    // The invalid key is disabled on first use; the valid one answers.
    expect(
      sample(text, 'gemgate_keys{state="active"}')! + sample(text, 'gemgate_keys{state="disabled"}')!,
    ).toBe(2);
    expect(sample(text, 'gemgate_image_store_images')).toBe(1);
    expect(sample(text, 'gemgate_image_store_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'gemgate_tokens_total{kind="prompt"}')).toBeGreaterThan(0);
    const upstream = text
      .split('\n')
      .filter((l) =>
        l.startsWith(
          'gemgate_upstream_request_duration_seconds_count{provider="gemini",action="generateContent"',
        ),
      );
    expect(upstream.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBeGreaterThanOrEqual(2);
    expect(text).toContain('gemgate_process_resident_memory_bytes');
    expect(text).not.toContain(DEFAULT_FAKE_KEY);
  });

  it('shows open streams while they run', async () => {
    fake.script(() => ({ kind: 'slow', delayMs: 300, chunks: 3 }));
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'slowly' }],
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const during = await (await metrics('admin-pass')).text();
    expect(sample(during, 'gemgate_streams_open')).toBe(1);
    expect(sample(during, 'gemgate_requests_in_flight')).toBeGreaterThanOrEqual(1);
    while (!(await iterator.next()).done);
    fake.script(() => undefined);
    const after = await (await metrics('admin-pass')).text();
    expect(sample(after, 'gemgate_streams_open')).toBe(0);
  });

  it('with METRICS_TOKEN set, only that token opens it', async () => {
    gw.settings.update({ metricsToken: 'scrape-token-123' });
    try {
      expect((await metrics('admin-pass')).status).toBe(401);
      expect((await metrics('scrape-token-123')).status).toBe(200);
    } finally {
      gw.settings.update({ metricsToken: '' });
    }
  });
});

describe('/metrics brute-force lockout (shared with /admin/api/login)', () => {
  const START = Date.UTC(2030, 0, 1, 8, 0, 0);
  let clock = START;
  let locking: TestGateway;

  beforeAll(async () => {
    locking = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      now: () => clock,
      // Trust the loopback "proxy" so each test acts as its own client IP (and TRUST_PROXY is honoured).
      settings: { password: 'api-pass', adminPassword: 'admin-pass', trustProxy: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await locking.close();
  });

  const scrape = (ip: string, token?: string) =>
    fetch(`${locking.url}/metrics`, {
      headers: {
        'x-forwarded-for': ip,
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });
  const login = (ip: string, password: string) =>
    fetch(`${locking.url}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ password }),
    });
  const guessWrong = async (ip: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await scrape(ip, `guess-${i}`)).status).toBe(401);
  };
  const expectLocked = async (res: Response) => {
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({
      error: { code: 'auth_attempts_exceeded', type: 'rate_limit_error' },
    });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(FAILURE_WINDOW_MS / 1000);
    return retryAfter;
  };

  it('wrong tokens lock the IP out: then 429 with Retry-After, even for the right password, until the window passes', async () => {
    const ip = '203.0.113.10';
    await guessWrong(ip, MAX_AUTH_FAILURES);
    const retryAfter = await expectLocked(await scrape(ip, 'admin-pass'));
    await expectLocked(await scrape(ip, 'yet-another-guess'));
    // Only this client is locked out, and only for the window.
    expect((await scrape('203.0.113.11', 'admin-pass')).status).toBe(200);
    clock += retryAfter * 1000;
    expect((await scrape(ip, 'admin-pass')).status).toBe(200);
  });

  it('the IP is the one TRUST_PROXY resolves: a spoofed X-Forwarded-For from an untrusted peer does not dodge it', async () => {
    locking.settings.update({ trustProxy: '' });
    try {
      for (let i = 0; i < MAX_AUTH_FAILURES; i++) {
        expect((await scrape(`198.51.100.${i}`, `guess-${i}`)).status).toBe(401);
      }
      await expectLocked(await scrape('198.51.100.99', 'admin-pass'));
    } finally {
      locking.settings.update({ trustProxy: '127.0.0.1' });
      clock += FAILURE_WINDOW_MS; // let 127.0.0.1 in again for the next tests
    }
  });

  it('wrong tokens on /metrics lock /admin/api/login from that IP', async () => {
    const ip = '203.0.113.20';
    await guessWrong(ip, MAX_AUTH_FAILURES);
    await expectLocked(await login(ip, 'admin-pass'));
  });

  it('wrong admin passwords lock /metrics from that IP, and the guesses of both doors add up', async () => {
    const ip = '203.0.113.30';
    for (let i = 0; i < MAX_AUTH_FAILURES; i++) expect((await login(ip, `guess-${i}`)).status).toBe(401);
    await expectLocked(await scrape(ip, 'admin-pass'));

    const mixed = '203.0.113.31';
    await guessWrong(mixed, MAX_AUTH_FAILURES - 1);
    expect((await login(mixed, 'one-more-guess')).status).toBe(401);
    await expectLocked(await scrape(mixed, 'admin-pass'));
    await expectLocked(await login(mixed, 'admin-pass'));
  });

  it('a missing token is no guess; the admin password and an admin session still open it', async () => {
    const ip = '203.0.113.40';
    for (let i = 0; i < MAX_AUTH_FAILURES * 2; i++) expect((await scrape(ip)).status).toBe(401);
    expect((await scrape(ip, 'admin-pass')).status).toBe(200);
    const session = (await (await login(ip, 'admin-pass')).json()) as { token: string };
    expect((await scrape(ip, session.token)).status).toBe(200);
  });

  it('with METRICS_TOKEN set, wrong tokens count as well', async () => {
    const ip = '203.0.113.50';
    locking.settings.update({ metricsToken: 'scrape-token-123' });
    try {
      // The admin password is no metrics credential here: it is a wrong token like any other.
      await guessWrong(ip, MAX_AUTH_FAILURES - 1);
      expect((await scrape(ip, 'admin-pass')).status).toBe(401);
      await expectLocked(await scrape(ip, 'scrape-token-123'));
      expect((await scrape('203.0.113.51', 'scrape-token-123')).status).toBe(200);
    } finally {
      locking.settings.update({ metricsToken: '' });
    }
  });
});
