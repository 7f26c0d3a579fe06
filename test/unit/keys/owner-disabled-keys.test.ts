import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyPool, keyIdOf } from '../../../main/server/keys/key-pool';
import { OWNER_DISABLED_REASON, OwnerDisabledKeys } from '../../../main/server/keys/owner-disabled-keys';

const KEYS = ['AIzaSyOwner-key-000000000000000001', 'AIzaSyOwner-key-000000000000000002'] as const;
const [A, B] = KEYS.map(keyIdOf) as [string, string];

let dir: string;
let warnings: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-owner-keys-'));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => new OwnerDisabledKeys(dir, (message) => warnings.push(message));
const pool = () => new KeyPool(KEYS, { now: () => 0, defaultCooldownMs: 1000 });
const statusOf = (keys: KeyPool, id: string) => keys.health().find((h) => h.id === id);

describe('OwnerDisabledKeys', () => {
  it('remembers the owner’s switches across instances (a restart), by id only', () => {
    open().remember(A, true);
    const file = readFileSync(join(dir, 'disabled-keys.json'), 'utf8');
    expect(JSON.parse(file)).toEqual({ version: 1, ids: [A] });
    expect(file).not.toContain(KEYS[0]);

    const keys = pool();
    open().applyTo(keys);
    expect(statusOf(keys, A)).toMatchObject({ status: 'disabled', disabledReason: OWNER_DISABLED_REASON });
    expect(statusOf(keys, B)?.status).toBe('active');
  });

  it('a key kept off ignores a good probe; enabling it again is remembered too', () => {
    const store = open();
    store.remember(A, true);
    const keys = pool();
    store.applyTo(keys);
    keys.reportValid(A);
    expect(statusOf(keys, A)?.status).toBe('disabled');

    store.remember(A, false);
    expect(open().has(A)).toBe(false);
  });

  it('forgets keys that are no longer configured', () => {
    const store = open();
    store.remember(A, true);
    store.remember(B, true);
    store.keepOnly([B]);
    expect(open().has(A)).toBe(false);
    expect(open().has(B)).toBe(true);
  });

  it('an unreadable file warns and enables every key rather than stopping the gateway', () => {
    writeFileSync(join(dir, 'disabled-keys.json'), '{not json');
    const store = open();
    expect(store.has(A)).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/disabled-keys\.json is unreadable/)]);
  });

  it('no file: nothing is disabled and nothing is written until the owner switches a key', () => {
    const keys = pool();
    open().applyTo(keys);
    expect(keys.health().every((h) => h.status === 'active')).toBe(true);
    expect(() => readFileSync(join(dir, 'disabled-keys.json'))).toThrow();
    expect(warnings).toEqual([]);
  });
});
