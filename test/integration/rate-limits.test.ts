/**
 * Rate limits (issue "Access control" §6, §8) over real sockets: MAX_REQUESTS_PER_MINUTE for the
 * whole gateway, MAX_REQUESTS_PER_DAY_PER_IP per client IP as TRUST_PROXY resolves it, and an access
 * key's own per-minute limit. Exceeding one → 429 in the caller's dialect with Retry-After (asserted
 * as a value: @fastify/rate-limit keeps its windows on Date.now, so no time travel here). Limits run
 * after access control, so refused callers use up nobody's budget. Counters stay bounded: 100,000
 * distinct client IPs go through app.inject (light-my-request, the full hook chain without sockets,
 * several thousand requests a second) and are shown bounded both by eviction of the oldest counter
 * and by heap growth measured after forced collections.
 *
 * The limits not draining one another, and a Gemini-shaped 429: rate-limits-budget.test.ts.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { RATE_LIMIT_STORE_SIZE } from '../../main/server/access/rate-limits';
import { startFakeGemini } from '../fakes/fake-gemini';
import { loadDefaultModels } from '../fakes/fake-gemini/catalogue';
import { generateCalls } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerTest } from '../support/gateway-per-test';

const PASSWORD = 'limits-Password-4';

/** Each test gets its own gateway: the limit stores live as long as the server. */
const upstream = gatewayPerTest({ password: PASSWORD });
const { start: gateway } = upstream;

interface Reply {
  status: number;
  headers: Headers;
  body: { error?: Record<string, unknown> };
}

async function get(
  gw: TestGateway,
  path: string,
  headers: Record<string, string | undefined> = { authorization: `Bearer ${PASSWORD}` },
): Promise<Reply> {
  const clean = Object.fromEntries(
    Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const res = await fetch(`${gw.url}${path}`, { headers: clean });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Reply['body']) : {} };
}

const as = (ip: string, token: string | undefined = PASSWORD) => ({
  'x-forwarded-for': ip,
  authorization: token === undefined ? undefined : `Bearer ${token}`,
});

const retryAfterOf = (reply: Reply) => Number(reply.headers.get('retry-after'));

describe('MAX_REQUESTS_PER_MINUTE (whole gateway)', () => {
  it('the request after the limit → 429, OpenAI-shaped, with Retry-After ≤ 60 s; for every client', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 3, trustProxy: '127.0.0.1' });
    // Refused callers come first and must not use up the budget.
    for (let i = 0; i < 5; i++)
      expect((await get(gw, '/v1/models', as('198.51.100.1', 'wrong'))).status).toBe(401);

    expect((await get(gw, '/v1/models', as('198.51.100.1'))).status).toBe(200);
    expect((await get(gw, '/v1/models', as('198.51.100.2'))).status).toBe(200);
    const chat = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as('198.51.100.3') } as Record<string, string>,
      body: JSON.stringify({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(chat.status).toBe(200);

    const limited = await get(gw, '/v1/models', as('198.51.100.4'));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: {
        message: expect.stringMatching(/at most 3 requests per minute in total/) as unknown,
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    expect(retryAfterOf(limited)).toBeGreaterThanOrEqual(1);
    expect(retryAfterOf(limited)).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);

    // …including through a URL the router decodes, and a limited chat does not reach Gemini.
    upstream.fake.reset();
    expect((await get(gw, '/%761/models')).status).toBe(429);
    const chatLimited = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PASSWORD}` },
      body: JSON.stringify({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(chatLimited.status).toBe(429);
    expect(generateCalls(upstream.fake)).toHaveLength(0);

    // Health and the admin are not the API and stay reachable.
    expect((await get(gw, '/health', {})).status).toBe(200);
    expect((await get(gw, '/admin/api/session', {})).status).toBe(401);

    const entry = await vi.waitFor(() => {
      const found = gw.core.log.recent().findLast((e) => e.request?.status === 429);
      if (!found) throw new Error('not logged yet');
      return found;
    });
    expect(entry.request?.errorCode).toBe('rate_limit_exceeded');
  });

  it('the deny list still comes first: a blocked client gets 403, not 429', async () => {
    const gw = await gateway({
      maxRequestsPerMinute: 1,
      blacklistIps: ['192.0.2.1'],
      trustProxy: '127.0.0.1',
    });
    expect((await get(gw, '/v1/models')).status).toBe(200);
    expect((await get(gw, '/v1/models')).status).toBe(429);
    expect((await get(gw, '/v1/models', as('192.0.2.1'))).status).toBe(403);
  });

  it('0 turns it off', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 0 });
    for (let i = 0; i < 40; i++) expect((await get(gw, '/v1/models')).status).toBe(200);
  });
});

describe('MAX_REQUESTS_PER_DAY_PER_IP', () => {
  it('per client IP as resolved under TRUST_PROXY: a spoofed left-most entry is no new budget', async () => {
    const gw = await gateway({ maxRequestsPerDayPerIp: 2, trustProxy: '127.0.0.1' });
    const ip = '203.0.113.10';
    expect((await get(gw, '/v1/models', as(ip))).status).toBe(200);
    expect((await get(gw, '/v1/models', as(ip))).status).toBe(200);
    const limited = await get(gw, '/v1/models', as(ip));
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(String(limited.body.error?.message)).toMatch(/at most 2 requests per day/);
    // A day's window: Retry-After counts down from 24 h.
    expect(retryAfterOf(limited)).toBeGreaterThan(24 * 3600 - 120);
    expect(retryAfterOf(limited)).toBeLessThanOrEqual(24 * 3600);

    expect((await get(gw, '/v1/models', as(`10.0.0.1, ${ip}`))).status).toBe(429);
    expect((await get(gw, '/v1/models', as(`1.2.3.4, ${ip}`))).status).toBe(429);
    // Other clients have their own budget.
    expect((await get(gw, '/v1/models', as('203.0.113.11'))).status).toBe(200);
  });

  it('without TRUST_PROXY a forged X-Forwarded-For is no new budget either', async () => {
    const gw = await gateway({ maxRequestsPerDayPerIp: 1 });
    expect((await get(gw, '/v1/models', as('203.0.113.20'))).status).toBe(200);
    expect((await get(gw, '/v1/models', as('203.0.113.21'))).status).toBe(429);
    expect(
      (await get(gw, '/v1/models', { 'x-real-ip': '203.0.113.22', authorization: `Bearer ${PASSWORD}` }))
        .status,
    ).toBe(429);
  });
});

describe("an access key's own per-minute limit", () => {
  it('perMinute caps that key only; the refused request is not counted as a use', async () => {
    const gw = await gateway({});
    const limited = gw.core.accessKeys.create({ name: 'metered', perMinute: 2 });
    const free = gw.core.accessKeys.create({ name: 'free' });
    expect((await get(gw, '/v1/models', { authorization: `Bearer ${limited.key}` })).status).toBe(200);
    expect((await get(gw, '/v1/models', { authorization: `Bearer ${limited.key}` })).status).toBe(200);
    const refused = await get(gw, '/v1/models', { authorization: `Bearer ${limited.key}` });
    expect(refused.status).toBe(429);
    expect(String(refused.body.error?.message)).toMatch(
      /this access key allows at most 2 requests per minute/,
    );
    expect(retryAfterOf(refused)).toBeGreaterThanOrEqual(1);
    expect(retryAfterOf(refused)).toBeLessThanOrEqual(60);
    for (let i = 0; i < 3; i++) {
      expect((await get(gw, '/v1/models', { authorization: `Bearer ${free.key}` })).status).toBe(200);
    }
    // The password is not metered by a key's limit.
    expect((await get(gw, '/v1/models')).status).toBe(200);
    await vi.waitFor(() => {
      const used = Object.fromEntries(gw.core.accessKeys.list().map((k) => [k.name, k.used]));
      expect(used).toEqual({ metered: 2, free: 3 });
    });
  });
});

describe('bounded counters', () => {
  const gc = (): void => {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  };
  const heapAfterGc = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  /** 10.x.y.z for i < 2^24: every i its own address. */
  const ipOf = (i: number) => `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

  it('100,000 distinct client IPs: the oldest counters are evicted and the heap stays flat', async () => {
    // The cheapest rate-limited route: one model from a cached one-model catalogue.
    const small = await startFakeGemini({
      models: loadDefaultModels().filter((m) => m.name === 'models/gemini-2.0-flash'),
    });
    onTestFinished(() => small.close());
    const gw = await gateway(
      { maxRequestsPerDayPerIp: 1, whitelistIps: ['0.0.0.0/0', '::/0'] },
      { upstreamUrl: small.url },
    );
    const hit = async (ip: string) =>
      (await gw.app.inject({ url: '/v1/models/gemini-2.0-flash', remoteAddress: ip })).statusCode;
    const run = async (from: number, to: number) => {
      const BATCH = 100;
      for (let start = from; start < to; start += BATCH) {
        const statuses = await Promise.all(
          Array.from({ length: Math.min(BATCH, to - start) }, (_, k) => hit(ipOf(start + k))),
        );
        // Every new address is within its budget.
        if (statuses.some((s) => s !== 200)) throw new Error(`unexpected statuses ${statuses.join()}`);
        // inject resolves on microtasks only; light-my-request's setImmediate callbacks (one per
        // request) would pile up, holding every request, unless the loop reaches its check phase.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    const first = '192.0.2.200';
    expect(await hit(first)).toBe(200);
    expect(await hit(first)).toBe(429);

    // Fill the stores well past their size, then measure what another 80,000 addresses add.
    await run(0, 20_000);
    const before = heapAfterGc();
    await run(20_000, 100_000);
    const growth = heapAfterGc() - before;

    // An unbounded per-IP map would hold 80,000 more entries here (tens of MB); the LRU holds
    // RATE_LIMIT_STORE_SIZE per limit, already reached before the measurement.
    expect(growth).toBeLessThan(8 * 1024 * 1024);
    expect(RATE_LIMIT_STORE_SIZE).toBeLessThan(100_000);
    // The first address's counter was evicted long ago (bounded store), the latest ones are kept.
    expect(await hit(first)).toBe(200);
    expect(await hit(ipOf(99_999))).toBe(429);
    // The auth-command maps did not grow at all from ordinary traffic.
    expect(gw.core.authorisedIps.size).toEqual({ grants: 0, failures: 0 });
    // 100,000 requests through the whole hook chain: 15–30 s alone, longer on a CI box running other
    // suites beside it. The limit guards against a hang, not a speed.
  }, 120_000);
});
