/**
 * AccessKeyStore: key generation, hashing, admit/commit/release tickets (exact counts with uses in
 * flight), limits, disabled and expired keys, the daily reset at 00:00 UTC, update/revoke, and
 * persistence through the journal — all on an injected clock.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessKeyStore, hashAccessKey } from '../../../main/server/access/access-keys';
import { ApiError } from '../../../main/server/errors';

let dir: string;
let clock: number;
const now = () => clock;
const open = () => new AccessKeyStore(dir, now);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-keys-'));
  clock = Date.UTC(2030, 0, 10, 12, 0, 0);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The ApiError code a call throws (fails when it does not throw one). */
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) {
      expect(err.status).toBe(err.code === 'not_found' ? 404 : 401);
      return err.code;
    }
    throw err;
  }
  throw new Error('did not throw');
};

const usedOf = (store: AccessKeyStore, id: string) => store.list().find((k) => k.id === id)?.used;

describe('create', () => {
  it('issues sk- keys of 48 characters from [A-Za-z0-9], all distinct; only the hash is kept', () => {
    const store = open();
    const keys = Array.from({ length: 200 }, (_, i) => store.create({ name: `k${i}` }));
    for (const { key, record } of keys) {
      expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
      expect(record.hash).toBe(hashAccessKey(key));
      expect(record.preview).toBe(`${key.slice(0, 7)}…${key.slice(-4)}`);
      expect(store.isAccessKey(key)).toBe(true);
    }
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(new Set(keys.map((k) => k.record.id)).size).toBe(200);
    // Every character of the alphabet shows up: no bias that drops some.
    expect(new Set(keys.flatMap((k) => [...k.key.slice(3)])).size).toBe(62);
    const onDisk = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join();
    for (const { key } of keys.slice(0, 20)) expect(onDisk).not.toContain(key.slice(3));
  });

  it('fills defaults: enabled, no limit, no expiry, created now, unused', () => {
    const { record } = open().create({ name: 'x' });
    expect(record).toMatchObject({
      name: 'x',
      enabled: true,
      limit: null,
      dailyReset: false,
      perMinute: null,
      expiresAt: null,
      createdAt: clock,
      lastUsedAt: null,
      used: 0,
      usedDay: '2030-01-10',
    });
  });

  it('does not take just anything for a key', () => {
    const store = open();
    const { key } = store.create({ name: 'x' });
    expect(store.isAccessKey(key.toUpperCase())).toBe(false);
    expect(store.isAccessKey(`${key} `)).toBe(false);
    expect(store.isAccessKey('sk-')).toBe(false);
    expect(codeOf(() => store.admit('sk-unknown'))).toBe('invalid_api_key');
  });
});

describe('tickets', () => {
  it('a use counts on commit, with the commit time; release does not count', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x' });
    const ticket = store.admit(key);
    expect(ticket.keyId).toBe(record.id);
    clock += 5000;
    ticket.commit();
    expect(store.list()[0]).toMatchObject({ used: 1, lastUsedAt: clock });
    store.admit(key).release();
    expect(usedOf(store, record.id)).toBe(1);
  });

  it('commit and release are idempotent and exclusive', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 2 });
    const ticket = store.admit(key);
    ticket.commit();
    ticket.commit();
    ticket.release();
    expect(usedOf(store, record.id)).toBe(1);
    const other = store.admit(key);
    other.release();
    other.commit();
    expect(usedOf(store, record.id)).toBe(1);
    // Neither left a phantom reservation behind: one more use is available.
    store.admit(key).commit();
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
  });

  it('uses in flight count against the limit: limit 3 admits 3 at once, a release frees one', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 3 });
    const tickets = [store.admit(key), store.admit(key), store.admit(key)];
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
    tickets[0]!.release();
    const again = store.admit(key);
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
    for (const t of [tickets[1]!, tickets[2]!, again]) t.commit();
    expect(usedOf(store, record.id)).toBe(3);
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
  });

  it('a ticket of a revoked key commits nothing and does not resurrect it', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x' });
    const ticket = store.admit(key);
    expect(store.revoke(record.id)).toBe(true);
    ticket.commit();
    expect(store.list()).toEqual([]);
    expect(store.isAccessKey(key)).toBe(false);
    expect(open().list()).toEqual([]);
  });
});

describe('refusals say why', () => {
  it('disabled', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', enabled: false });
    expect(codeOf(() => store.admit(key))).toBe('access_key_disabled');
    store.update(record.id, { enabled: true });
    store.admit(key).commit();
  });

  it('expired from expiresAt on (not a millisecond before)', () => {
    const store = open();
    const { key } = store.create({ name: 'x', expiresAt: clock + 1000 });
    clock += 999;
    store.admit(key).release();
    clock += 1;
    expect(codeOf(() => store.admit(key))).toBe('access_key_expired');
  });

  it('used up', () => {
    const store = open();
    const { key } = store.create({ name: 'x', limit: 1 });
    store.admit(key).commit();
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
  });
});

describe('daily reset (UTC)', () => {
  it('the count starts again at 00:00 UTC when dailyReset is on', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 2, dailyReset: true });
    clock = Date.UTC(2030, 0, 10, 23, 59, 59);
    store.admit(key).commit();
    store.admit(key).commit();
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
    clock = Date.UTC(2030, 0, 11, 0, 0, 0);
    expect(usedOf(store, record.id)).toBe(0);
    store.admit(key).commit();
    expect(usedOf(store, record.id)).toBe(1);
    expect(store.list()[0]?.usedDay).toBe('2030-01-11');
  });

  it('a use admitted before midnight and finished after it counts for the new day', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 1, dailyReset: true });
    clock = Date.UTC(2030, 0, 10, 23, 59, 59, 900);
    const ticket = store.admit(key);
    clock = Date.UTC(2030, 0, 11, 0, 0, 0, 100);
    ticket.commit();
    expect(usedOf(store, record.id)).toBe(1);
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
  });

  it('without dailyReset the count carries over', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 1 });
    store.admit(key).commit();
    clock += 3 * 86_400_000;
    expect(usedOf(store, record.id)).toBe(1);
    expect(codeOf(() => store.admit(key))).toBe('access_key_exhausted');
  });

  it('survives a restart on the next day (the day is journaled with each use)', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 1, dailyReset: true });
    store.admit(key).commit();
    clock += 86_400_000;
    const reopened = open();
    expect(usedOf(reopened, record.id)).toBe(0);
    reopened.admit(key).commit();
    expect(codeOf(() => reopened.admit(key))).toBe('access_key_exhausted');
  });
});

describe('update and revoke', () => {
  it('update changes fields, resetUsage zeroes the count; unknown ids → not_found', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x', limit: 1 });
    store.admit(key).commit();
    const updated = store.update(record.id, { name: 'renamed', limit: 5, perMinute: 10 });
    expect(updated).toMatchObject({ name: 'renamed', limit: 5, perMinute: 10, used: 1 });
    expect(store.update(record.id, { resetUsage: true }).used).toBe(0);
    expect(codeOf(() => store.update('nope', { name: 'y' }))).toBe('not_found');
    expect(store.admit(key).perMinute).toBe(10);
  });

  it('revoke removes the key; revoking an unknown id returns false', () => {
    const store = open();
    const { key, record } = store.create({ name: 'x' });
    expect(store.revoke(record.id)).toBe(true);
    expect(store.revoke(record.id)).toBe(false);
    expect(codeOf(() => store.admit(key))).toBe('invalid_api_key');
  });
});

describe('persistence', () => {
  it('a new store on the same folder has every key, count and change, without a flush', () => {
    const store = open();
    const a = store.create({ name: 'a', limit: 10 });
    const b = store.create({ name: 'b' });
    const gone = store.create({ name: 'gone' });
    for (let i = 0; i < 4; i++) store.admit(a.key).commit();
    store.update(b.record.id, { enabled: false });
    store.revoke(gone.record.id);

    const reopened = open();
    expect(reopened.list().map((k) => [k.name, k.used, k.enabled])).toEqual([
      ['a', 4, true],
      ['b', 0, false],
    ]);
    expect(reopened.isAccessKey(a.key)).toBe(true);
    expect(reopened.isAccessKey(gone.key)).toBe(false);
    expect(codeOf(() => reopened.admit(b.key))).toBe('access_key_disabled');
  });

  it('flush writes everything into the snapshot', () => {
    const store = open();
    const { key } = store.create({ name: 'a' });
    store.admit(key).commit();
    store.flush();
    expect(readdirSync(dir).sort()).toEqual(['access-keys.json']);
    expect(open().list()[0]?.used).toBe(1);
  });
});
