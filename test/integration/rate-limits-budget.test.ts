/**
 * Rate limits (issue "Access control" §6) do not drain one another: a request refused by one limit
 * uses up no other limit's budget, and a request let through counts exactly once in each. Without
 * this, one client over its own daily IP limit (or its access key's per-minute limit), retrying,
 * would use up MAX_REQUESTS_PER_MINUTE and lock every other client out.
 *
 * Real sockets; client IPs are told apart by X-Forwarded-For from the trusted loopback peer
 * (TRUST_PROXY 127.0.0.1). The limits' windows run on Date.now and are far longer than a test.
 */
import { describe, expect, it } from 'vitest';
import { gatewayPerTest } from '../support/gateway-per-test';
import type { TestGateway } from '../support/gateway';

const PASSWORD = 'budget-Password-7';

const { start: gateway } = gatewayPerTest({ password: PASSWORD, trustProxy: '127.0.0.1' });

interface Outcome {
  status: number;
  /** The refusal's message, '' when the request went through. */
  message: string;
}

/** GET /v1/models as client `ip` presenting `token` (the password unless told). */
async function call(gw: TestGateway, ip: string, token = PASSWORD): Promise<Outcome> {
  const res = await fetch(`${gw.url}/v1/models`, {
    headers: { 'x-forwarded-for': ip, authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { error?: { message?: string } };
  return { status: res.status, message: body.error?.message ?? '' };
}

/** `count` requests one after another; the statuses in order. */
async function statuses(gw: TestGateway, count: number, ip: string, token?: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await call(gw, ip, token)).status);
  return out;
}

/** One request from each of `count` fresh client IPs, one after another; the statuses in order. */
async function fromOthers(gw: TestGateway, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await call(gw, `198.51.100.${200 + i}`)).status);
  return out;
}

const times = (count: number, status: number) => Array.from({ length: count }, () => status);

const GATEWAY_FULL = /at most 10 requests per minute in total/;

describe('a refused request consumes no other budget', () => {
  it('an IP over its daily limit, retrying, does not use up the gateway minute', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 10, maxRequestsPerDayPerIp: 2 });
    const abuser = '203.0.113.50';
    expect(await statuses(gw, 2, abuser)).toEqual(times(2, 200));
    for (let i = 0; i < 30; i++) {
      const refused = await call(gw, abuser);
      expect(refused.status).toBe(429);
      expect(refused.message).toMatch(/at most 2 requests per day/);
    }

    // The gateway counted the abuser's 2 requests only: 8 places are left for everyone else.
    expect(await fromOthers(gw, 8)).toEqual(times(8, 200));
    const full = await call(gw, '198.51.100.61');
    expect(full.status).toBe(429);
    expect(full.message).toMatch(GATEWAY_FULL);
  });

  it("an access key over its per-minute limit does not use up the gateway's or its IP's budget", async () => {
    const gw = await gateway({ maxRequestsPerMinute: 10, maxRequestsPerDayPerIp: 5 });
    const metered = gw.core.accessKeys.create({ name: 'metered', perMinute: 2 });
    const shared = '203.0.113.70';
    expect(await statuses(gw, 2, shared, metered.key)).toEqual(times(2, 200));
    for (let i = 0; i < 20; i++) {
      const refused = await call(gw, shared, metered.key);
      expect(refused.status).toBe(429);
      expect(refused.message).toMatch(/this access key allows at most 2 requests per minute/);
    }

    // The IP's day counted the 2 requests let through: 3 are left, then the day limit.
    expect(await statuses(gw, 3, shared)).toEqual(times(3, 200));
    expect((await call(gw, shared)).message).toMatch(/at most 5 requests per day/);
    // The gateway counted 5, and none of the 21 refusals: 5 places are left for another client.
    expect(await statuses(gw, 5, '198.51.100.71')).toEqual(times(5, 200));
    expect((await call(gw, '198.51.100.72')).message).toMatch(GATEWAY_FULL);
  });

  it('while the gateway is full, refused requests do not use up the callers’ own budgets', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 2, maxRequestsPerDayPerIp: 3 });
    const metered = gw.core.accessKeys.create({ name: 'metered', perMinute: 3 });
    expect(await statuses(gw, 2, '198.51.100.80')).toEqual(times(2, 200));
    for (let i = 0; i < 10; i++) {
      const refused = await call(gw, '203.0.113.81', metered.key);
      expect(refused.status).toBe(429);
      expect(refused.message).toMatch(/at most 2 requests per minute in total/);
    }
    // The owner raises the gateway limit: the key and the IP still have their whole budgets.
    gw.settings.update({ maxRequestsPerMinute: 100 });
    expect(await statuses(gw, 4, '203.0.113.81', metered.key)).toEqual([200, 200, 200, 429]);
  });
});

describe('a request let through counts exactly once in each limit', () => {
  it('gateway, IP and access key each reach their limit after exactly that many requests', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 10, maxRequestsPerDayPerIp: 3 });
    const metered = gw.core.accessKeys.create({ name: 'metered', perMinute: 5 });

    // IP 1 with the key: 3 let through, then its day is over (the key has 2 places left).
    expect(await statuses(gw, 4, '203.0.113.90', metered.key)).toEqual([200, 200, 200, 429]);
    // IP 2 with the key: 2 let through, then the key's minute is over.
    const fromSecondIp = [await call(gw, '203.0.113.91', metered.key)];
    fromSecondIp.push(await call(gw, '203.0.113.91', metered.key));
    fromSecondIp.push(await call(gw, '203.0.113.91', metered.key));
    expect(fromSecondIp.map((o) => o.status)).toEqual([200, 200, 429]);
    expect(fromSecondIp[2]?.message).toMatch(/this access key allows at most 5 requests per minute/);
    // IP 2 has used 2 of its 3: one more with the password, then its day is over too.
    expect(await statuses(gw, 2, '203.0.113.91')).toEqual([200, 429]);

    // The gateway counted 3 + 2 + 1 = 6: 4 places left.
    expect(await statuses(gw, 3, '203.0.113.92')).toEqual(times(3, 200));
    expect(await statuses(gw, 1, '203.0.113.93')).toEqual([200]);
    const full = await call(gw, '203.0.113.94');
    expect(full.status).toBe(429);
    expect(full.message).toMatch(GATEWAY_FULL);
  });

  it('when several limits are full, the refusal names the one that frees up last', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 2, maxRequestsPerDayPerIp: 1 });
    expect((await call(gw, '203.0.113.110')).status).toBe(200);
    expect((await call(gw, '198.51.100.110')).status).toBe(200);
    // Both the gateway minute and this IP's day are full: waiting a minute would not help this IP.
    const res = await fetch(`${gw.url}/v1/models`, {
      headers: { 'x-forwarded-for': '203.0.113.110', authorization: `Bearer ${PASSWORD}` },
    });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 1 requests per day/,
    );
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3600);
    // Another client is refused for the gateway minute, with a wait of at most a minute.
    const other = await fetch(`${gw.url}/v1/models`, {
      headers: { 'x-forwarded-for': '198.51.100.111', authorization: `Bearer ${PASSWORD}` },
    });
    expect(other.status).toBe(429);
    expect(Number(other.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('the refusal stays in the caller’s dialect, with Retry-After and the x-ratelimit headers', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 1 });
    expect((await call(gw, '203.0.113.100')).status).toBe(200);
    const res = await fetch(`${gw.url}/v1beta/models`, {
      headers: { 'x-forwarded-for': '203.0.113.101', 'x-goog-api-key': PASSWORD },
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      error: {
        code: 429,
        message: expect.stringMatching(/at most 1 requests per minute in total/) as unknown,
        status: 'RESOURCE_EXHAUSTED',
      },
    });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
  });
});

describe('concurrent bursts', () => {
  it('a burst from many clients is let through exactly up to the gateway limit', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 10 });
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => call(gw, `198.51.100.${110 + i}`)));
    expect(burst.filter((o) => o.status === 200)).toHaveLength(10);
    expect(burst.filter((o) => o.status === 429)).toHaveLength(30);
  });

  it('a burst from one IP at its daily limit leaves the gateway budget to the others', async () => {
    const gw = await gateway({ maxRequestsPerMinute: 10, maxRequestsPerDayPerIp: 2 });
    const burst = await Promise.all(Array.from({ length: 30 }, () => call(gw, '203.0.113.120')));
    expect(burst.filter((o) => o.status === 200)).toHaveLength(2);
    // Whatever the interleaving, the IP's count refuses before the gateway's is touched.
    expect(await fromOthers(gw, 8)).toEqual(times(8, 200));
    expect((await call(gw, '198.51.100.122')).message).toMatch(GATEWAY_FULL);
  });
});
