import { describe, expect, it } from 'vitest';
import { KeyPool, keyIdOf } from '../../../main/server/keys/key-pool';
import type { KeyLease } from '../../../main/server/keys/key-pool';
import { maskKey } from '../../../main/server/keys/mask-key';

// Shaped like real Google keys (39 chars) so masking and redaction see realistic input.
const fakeKey = (n: number): string =>
  `AIzaSy${String(n).padStart(2, '0')}${'x'.repeat(29)}k${n}`.slice(0, 39);
const KEYS = [fakeKey(1), fakeKey(2), fakeKey(3)];

function makeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function makePool(keys: readonly string[] = KEYS, defaultCooldownMs = 60_000) {
  const clock = makeClock();
  const pool = new KeyPool(keys, { now: clock.now, defaultCooldownMs });
  return { pool, clock };
}

const acquireOrFail = (pool: KeyPool, exclude?: ReadonlySet<string>): KeyLease => {
  const lease = pool.acquire(exclude);
  if (!lease) throw new Error('expected a lease');
  return lease;
};

describe('maskKey', () => {
  it.each([
    ['AIzaSyA1234567890abcdefghijklmnopq9xQk', 'AIza…9xQk'],
    ['abcdefghijkl', 'abcd…ijkl'],
    ['abcdefghijk', '****'],
    ['', '****'],
  ])('%s → %s', (key, masked) => {
    expect(maskKey(key)).toBe(masked);
  });
});

describe('KeyPool', () => {
  it('spreads many acquires evenly over the keys, round-robin', () => {
    const { pool } = makePool();
    const counts = new Map<string, number>();
    const order: string[] = [];
    for (let i = 0; i < 300; i++) {
      const lease = acquireOrFail(pool);
      counts.set(lease.key, (counts.get(lease.key) ?? 0) + 1);
      if (i < 6) order.push(lease.key);
    }
    expect([...counts.values()]).toEqual([100, 100, 100]);
    expect(order).toEqual([...KEYS, ...KEYS]);
    expect(pool.health().map((h) => h.requests)).toEqual([100, 100, 100]);
  });

  it('gives concurrent leases different keys', () => {
    const { pool } = makePool();
    const leases = [acquireOrFail(pool), acquireOrFail(pool), acquireOrFail(pool)];
    expect(new Set(leases.map((l) => l.id)).size).toBe(3);
  });

  it('skips the ids in the exclude set, and returns null when every key is excluded', () => {
    const { pool } = makePool();
    const tried = new Set<string>();
    for (let i = 0; i < KEYS.length; i++) {
      const lease = acquireOrFail(pool, tried);
      expect(tried.has(lease.id)).toBe(false);
      tried.add(lease.id);
    }
    expect(pool.acquire(tried)).toBeNull();
    expect(pool.acquire()).not.toBeNull();
  });

  it('returns null for an empty pool', () => {
    const { pool } = makePool([]);
    expect(pool.acquire()).toBeNull();
    expect(pool.availability()).toEqual({
      total: 0,
      active: 0,
      cooling: 0,
      disabled: 0,
      nextAvailableAt: null,
    });
  });

  it('cools a rate-limited key for RetryInfo time, then brings it back by itself', () => {
    const { pool, clock } = makePool();
    const lease = acquireOrFail(pool);
    pool.reportRateLimited(lease, 26_000, 'quota exceeded');

    const start = clock.now();
    const seenWhileCooling = new Set<string>();
    for (let i = 0; i < 10; i++) seenWhileCooling.add(acquireOrFail(pool).id);
    expect(seenWhileCooling.has(lease.id)).toBe(false);
    expect(pool.availability()).toMatchObject({ active: 2, cooling: 1, nextAvailableAt: start + 26_000 });
    const cooling = pool.health().find((h) => h.id === lease.id);
    expect(cooling).toMatchObject({ status: 'cooling', cooldownUntil: start + 26_000, failures: 1 });
    expect(cooling?.lastError).toEqual({ at: start, status: 429, message: 'quota exceeded' });

    clock.advance(25_999);
    expect(pool.acquire(new Set(KEYS.filter((k) => k !== lease.key).map(keyIdOf)))).toBeNull();
    clock.advance(1);
    expect(pool.acquire(new Set(KEYS.filter((k) => k !== lease.key).map(keyIdOf)))?.id).toBe(lease.id);
    expect(pool.availability()).toMatchObject({ active: 3, cooling: 0, nextAvailableAt: null });
  });

  it('uses the default cooldown when Google gave no RetryInfo, and follows setDefaultCooldownMs', () => {
    const { pool, clock } = makePool([fakeKey(1)], 5_000);
    const first = acquireOrFail(pool);
    pool.reportRateLimited(first, undefined, 'Resource has been exhausted');
    expect(pool.availability().nextAvailableAt).toBe(clock.now() + 5_000);
    expect(pool.acquire()).toBeNull();
    clock.advance(5_000);
    const second = acquireOrFail(pool);

    pool.setDefaultCooldownMs(9_000);
    pool.reportRateLimited(second, undefined, 'again');
    expect(pool.availability().nextAvailableAt).toBe(clock.now() + 9_000);
  });

  it('reports all keys cooling with the earliest return time', () => {
    const { pool, clock } = makePool();
    const [a, b, c] = [acquireOrFail(pool), acquireOrFail(pool), acquireOrFail(pool)];
    pool.reportRateLimited(a, 30_000, 'x');
    pool.reportRateLimited(b, 10_000, 'x');
    pool.reportRateLimited(c, 20_000, 'x');
    expect(pool.acquire()).toBeNull();
    expect(pool.availability()).toEqual({
      total: 3,
      active: 0,
      cooling: 3,
      disabled: 0,
      nextAvailableAt: clock.now() + 10_000,
    });
  });

  it('disables an invalid key with its reason; reportValid and enable bring keys back', () => {
    const { pool } = makePool();
    const lease = acquireOrFail(pool);
    pool.reportInvalid(lease, 400, 'API key not valid');
    const disabled = pool.health().find((h) => h.id === lease.id);
    expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'API key not valid', failures: 1 });
    for (let i = 0; i < 6; i++) expect(acquireOrFail(pool).id).not.toBe(lease.id);
    expect(pool.availability()).toMatchObject({ active: 2, disabled: 1 });

    pool.reportValid(lease.id);
    const revived = pool.health().find((h) => h.id === lease.id);
    expect(revived).toMatchObject({ status: 'active', disabledReason: null, lastError: null });

    expect(pool.disable(lease.id, 'by the user')).toBe(true);
    expect(pool.health().find((h) => h.id === lease.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'by the user',
    });
    expect(pool.enable(lease.id)).toBe(true);
    expect(pool.health().find((h) => h.id === lease.id)?.status).toBe('active');
    expect(pool.enable('000000000000')).toBe(false);
    expect(pool.disable('000000000000', 'x')).toBe(false);
  });

  it('enable also ends a cooldown early', () => {
    const { pool } = makePool([fakeKey(1)]);
    const lease = acquireOrFail(pool);
    pool.reportRateLimited(lease, 60_000, 'x');
    expect(pool.acquire()).toBeNull();
    pool.enable(lease.id);
    expect(pool.acquire()?.id).toBe(lease.id);
  });

  it('a key disabled meanwhile stays disabled when a late 429 arrives', () => {
    const { pool } = makePool([fakeKey(1)]);
    const lease = acquireOrFail(pool);
    pool.disable(lease.id, 'by the user');
    pool.reportRateLimited(lease, 1_000, 'late');
    expect(pool.health()[0]?.status).toBe('disabled');
  });

  it('counts successes, tokens and transient failures', () => {
    const { pool, clock } = makePool([fakeKey(1)]);
    const lease = acquireOrFail(pool);
    pool.reportSuccess(lease, { promptTokens: 10, completionTokens: 5 });
    pool.reportSuccess(lease, { promptTokens: 1, completionTokens: 2 });
    pool.reportSuccess(lease);
    pool.reportTransientFailure(lease, 503, 'The model is overloaded.');
    pool.reportTransientFailure(lease, null, 'connection reset');
    expect(pool.health()[0]).toMatchObject({
      status: 'active',
      requests: 1,
      successes: 3,
      failures: 2,
      promptTokens: 11,
      completionTokens: 7,
      lastUsedAt: clock.now(),
      lastError: { at: clock.now(), status: null, message: 'connection reset' },
    });
  });

  it('setKeys keeps the state and counters of keys that stay, in the new order', () => {
    const { pool } = makePool();
    const ids = KEYS.map(keyIdOf);
    for (let i = 0; i < 6; i++) acquireOrFail(pool);
    const second = { key: KEYS[1]!, id: ids[1]!, masked: maskKey(KEYS[1]!) };
    pool.reportInvalid(second, 400, 'API key not valid');

    const fresh = fakeKey(9);
    pool.setKeys([KEYS[2]!, fresh, KEYS[1]!, ' ', KEYS[2]!]);
    const health = pool.health();
    expect(health.map((h) => h.id)).toEqual([ids[2], keyIdOf(fresh), ids[1]]);
    expect(health.map((h) => h.requests)).toEqual([2, 0, 2]);
    expect(health[2]).toMatchObject({ status: 'disabled', disabledReason: 'API key not valid' });
    expect(pool.keyOf(ids[0]!)).toBeUndefined();
    expect(pool.keyOf(keyIdOf(fresh))).toBe(fresh);

    // Reports on a lease of a removed key are ignored, not thrown.
    expect(() => pool.reportSuccess({ key: KEYS[0]!, id: ids[0]!, masked: '' })).not.toThrow();
  });

  it('never shows a full key in health, also when an upstream message quotes it', () => {
    const { pool } = makePool();
    const lease = acquireOrFail(pool);
    pool.reportTransientFailure(lease, 500, `GET https://x/v1beta/models?key=${lease.key} failed`);
    const other = acquireOrFail(pool);
    pool.reportInvalid(other, 400, `key ${other.key} is not valid`);
    const text = JSON.stringify(pool.health());
    for (const key of KEYS) expect(text).not.toContain(key);
    expect(text).toContain(maskKey(lease.key));
    expect(pool.health().map((h) => h.masked)).toEqual(KEYS.map(maskKey));
  });

  it('uses a stable 12-hex id per key', () => {
    const { pool } = makePool();
    const ids = pool.health().map((h) => h.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(ids).toEqual(KEYS.map(keyIdOf));
    expect(new KeyPool(KEYS, { now: () => 0, defaultCooldownMs: 1 }).health().map((h) => h.id)).toEqual(ids);
  });
});

describe('a key the owner switched off', () => {
  it('is not switched back on by a successful probe, only by the owner', () => {
    const pool = new KeyPool(['AIzaOWNER-key-000000000000000000000000001'], {
      now: () => 0,
      defaultCooldownMs: 1000,
    });
    const id = pool.health()[0]!.id;
    pool.disable(id, 'disabled in the admin', true);
    pool.reportValid(id);
    expect(pool.health()[0]!.status).toBe('disabled');
    pool.enable(id);
    expect(pool.health()[0]!.status).toBe('active');
    // An automatic disable (Google said invalid) is lifted by a probe that works again.
    pool.disable(id, 'API key not valid');
    pool.reportValid(id);
    expect(pool.health()[0]!.status).toBe('active');
  });
});

describe('a cooldown for one model (a 429 whose quota named the model)', () => {
  const PRO = 'gemini-2.5-pro';
  const FLASH = 'gemini-2.5-flash';
  const othersThan = (lease: KeyLease) => new Set(KEYS.filter((k) => k !== lease.key).map(keyIdOf));

  it('keeps the key from that model only, for the RetryInfo time', () => {
    const { pool, clock } = makePool();
    const lease = acquireOrFail(pool);
    pool.reportRateLimited(lease, 30_000, 'pro quota', [PRO]);
    const onlyThisKey = othersThan(lease);

    expect(pool.acquire(onlyThisKey, PRO)).toBeNull();
    expect(pool.acquire(onlyThisKey, FLASH)?.id).toBe(lease.id);
    expect(pool.health().find((h) => h.id === lease.id)).toMatchObject({ failures: 1 });

    clock.advance(29_999);
    expect(pool.acquire(onlyThisKey, PRO)).toBeNull();
    clock.advance(1);
    expect(pool.acquire(onlyThisKey, PRO)?.id).toBe(lease.id);
  });

  it('uses KEY_COOLDOWN_SECONDS when Google gave no RetryInfo', () => {
    const { pool, clock } = makePool([fakeKey(1)], 5_000);
    pool.reportRateLimited(acquireOrFail(pool), undefined, 'pro quota', [PRO]);
    expect(pool.availability(PRO).nextAvailableAt).toBe(clock.now() + 5_000);
    expect(pool.acquire(undefined, FLASH)).not.toBeNull();
  });

  it('cooldownEnd gives one scope’s end (or the whole key’s), never another scope’s', () => {
    const { pool, clock } = makePool();
    const lease = acquireOrFail(pool);
    const t = clock.now();
    pool.reportRateLimited(lease, 599_000, 'pro quota', [PRO]);
    pool.reportRateLimited(lease, 60_000, 'flash quota', [FLASH]);
    expect(pool.cooldownEnd(lease.id, FLASH)).toBe(t + 60_000);
    expect(pool.cooldownEnd(lease.id, PRO)).toBe(t + 599_000);
    expect(pool.cooldownEnd(lease.id)).toBeNull(); // the key as a whole is not cooling
    pool.reportRateLimited(lease, 30_000, 'quota');
    expect(pool.cooldownEnd(lease.id)).toBe(t + 30_000);
    expect(pool.cooldownEnd(lease.id, 'gemini-2.0-flash')).toBe(t + 30_000);
    expect(pool.cooldownEnd(lease.id, FLASH)).toBe(t + 60_000);
    clock.advance(60_000);
    expect(pool.cooldownEnd(lease.id, FLASH)).toBeNull();
    pool.disable(lease.id, 'API key not valid');
    expect(pool.cooldownEnd(lease.id, PRO)).toBeNull();
    expect(pool.cooldownEnd('unknown-id')).toBeNull();
  });

  it('a 429 that names no model still cools the key for every model', () => {
    const { pool } = makePool();
    const lease = acquireOrFail(pool);
    pool.reportRateLimited(lease, 30_000, 'quota');
    for (const model of [PRO, FLASH, undefined]) expect(pool.acquire(othersThan(lease), model)).toBeNull();
  });

  it('rotation skips the key for that model only: the other keys share it, every key shares the rest', () => {
    const { pool } = makePool();
    const limited = acquireOrFail(pool);
    pool.reportRateLimited(limited, 60_000, 'pro quota', [PRO]);
    const ids = (model: string, n: number) =>
      Array.from({ length: n }, () => pool.acquire(undefined, model)?.id ?? null);
    const [a, b, c] = KEYS.map(keyIdOf);
    expect(limited.id).toBe(a);
    expect(ids(PRO, 4)).toEqual([b, c, b, c]);
    expect(ids(FLASH, 6)).toEqual([a, b, c, a, b, c]);
  });

  it('the earliest time a key is free is computed for the model asked about', () => {
    const { pool, clock } = makePool();
    const [a, b, c] = [acquireOrFail(pool), acquireOrFail(pool), acquireOrFail(pool)];
    const t = clock.now();
    pool.reportRateLimited(a, 30_000, 'pro quota', [PRO]);
    pool.reportRateLimited(b, 20_000, 'quota');
    pool.reportRateLimited(c, 5_000, 'quota');
    pool.reportRateLimited(c, 25_000, 'pro quota', [PRO]);

    expect(pool.acquire(undefined, PRO)).toBeNull();
    // For pro: a at 30 s, b (whole key) at 20 s, c at 25 s (its own cooldown ends at 5 s, pro's later).
    expect(pool.availability(PRO)).toEqual({
      total: 3,
      active: 0,
      cooling: 3,
      disabled: 0,
      nextAvailableAt: t + 20_000,
    });
    // For flash, a serves now and c is free after 5 s.
    expect(pool.availability(FLASH)).toMatchObject({ active: 1, cooling: 2, nextAvailableAt: t + 5_000 });

    clock.advance(20_000);
    expect(pool.acquire(undefined, PRO)?.id).toBe(b.id);
    expect(pool.availability(PRO)).toMatchObject({ active: 1, cooling: 2, nextAvailableAt: t + 25_000 });
    clock.advance(10_000);
    expect(pool.availability(PRO)).toMatchObject({ active: 3, cooling: 0, nextAvailableAt: null });
  });

  it('concurrent 429s for the model keep the longest cooldown; a disabled key stays disabled', () => {
    const { pool, clock } = makePool([fakeKey(1)]);
    const lease = acquireOrFail(pool);
    pool.reportRateLimited(lease, 30_000, 'x', [PRO]);
    pool.reportRateLimited(lease, 10_000, 'x', [PRO]);
    expect(pool.availability(PRO).nextAvailableAt).toBe(clock.now() + 30_000);

    pool.disable(lease.id, 'by the user');
    pool.reportRateLimited(lease, 1_000, 'late', [FLASH]);
    expect(pool.health()[0]?.status).toBe('disabled');
    expect(pool.acquire(undefined, FLASH)).toBeNull();
  });

  it('shows as cooling in health and the overall counts until its last cooldown ends, then active', () => {
    const { pool, clock } = makePool([fakeKey(1), fakeKey(2)]);
    const lease = acquireOrFail(pool);
    const t = clock.now();
    pool.reportRateLimited(lease, 10_000, 'pro quota', [PRO]);
    pool.reportRateLimited(lease, 40_000, 'flash quota', [FLASH]);
    expect(pool.health()[0]).toMatchObject({ status: 'cooling', cooldownUntil: t + 40_000 });
    expect(pool.availability()).toMatchObject({ active: 1, cooling: 1, nextAvailableAt: t + 40_000 });
    // A request that names no model (the model list) waits for every cooldown of the key.
    expect(pool.acquire(new Set([keyIdOf(fakeKey(2))]))).toBeNull();

    clock.advance(40_000);
    expect(pool.health()[0]).toMatchObject({ status: 'active', cooldownUntil: null });
    expect(pool.availability()).toMatchObject({ active: 2, cooling: 0, nextAvailableAt: null });
  });

  it('enable ends the cooldowns for models too', () => {
    const { pool } = makePool([fakeKey(1)]);
    const lease = acquireOrFail(pool);
    pool.reportRateLimited(lease, 60_000, 'x', [PRO, FLASH]);
    expect(pool.acquire(undefined, FLASH)).toBeNull();
    pool.enable(lease.id);
    expect(pool.acquire(undefined, PRO)?.id).toBe(lease.id);
    expect(pool.acquire(undefined, FLASH)?.id).toBe(lease.id);
  });
});

describe('a refusal that may pass (reportRefused: xAI’s 403)', () => {
  it('cools the key for the default cooldown with its own status, never disables it', () => {
    const { pool, clock } = makePool([fakeKey(1), fakeKey(2)]);
    const lease = acquireOrFail(pool);
    pool.reportRefused(lease, 403, 'HTTP 403 from xAI: no credits');
    expect(pool.health()[0]).toMatchObject({
      status: 'cooling',
      cooldownUntil: clock.now() + 60_000,
      disabledReason: null,
      lastError: { status: 403, message: 'HTTP 403 from xAI: no credits' },
    });
    clock.advance(60_000);
    expect(pool.health()[0]?.status).toBe('active');
  });

  it('for one model, other models still get the key', () => {
    const { pool } = makePool([fakeKey(1)]);
    const lease = acquireOrFail(pool);
    pool.reportRefused(lease, 403, 'no access', ['grok-4-heavy']);
    expect(pool.acquire(undefined, 'grok-4-heavy')).toBeNull();
    expect(pool.acquire(undefined, 'grok-4')?.id).toBe(lease.id);
  });
});

describe('reenableRejected (the owner saved the xAI key list again)', () => {
  it('switches the keys the gateway disabled back on, not those the owner switched off, and names them', () => {
    const { pool } = makePool();
    const [byGateway, byOwner, cooling] = pool.health().map((h) => h.id);
    pool.disable(byGateway!, 'HTTP 400 from xAI: Incorrect API key provided');
    pool.disable(byOwner!, 'disabled in the admin', true);
    pool.reportRateLimited(acquireOrFail(pool, new Set([byGateway!, byOwner!])), 30_000, 'HTTP 429');
    const revived = pool.reenableRejected();
    expect(revived.map((l) => l.id)).toEqual([byGateway]);
    expect(pool.health().map((h) => [h.id, h.status, h.disabledReason])).toEqual([
      [byGateway, 'active', null],
      [byOwner, 'disabled', 'disabled in the admin'],
      [cooling, 'cooling', null],
    ]);
    expect(pool.reenableRejected()).toEqual([]);
  });
});
