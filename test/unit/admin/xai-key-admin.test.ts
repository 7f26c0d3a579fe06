/**
 * The xAI key pool in the admin service (listXaiKeys, enableXaiKey), as both transports call it:
 * every pooled key masked with its state, counters and last error; the list follows XAI_API_KEYS;
 * only a key the gateway disabled is switched back on, a cooling one keeps its cooldown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminApi } from '../../../shared/admin-contract';
import { settingsDefaults } from '../../../shared/settings-schema';
import { createAdminService } from '../../../main/server/admin/admin-service';
import { createGatewayCore, type GatewayCore } from '../../../main/server/core';
import { ApiError } from '../../../main/server/errors';
import { keyIdOf, type KeyLease } from '../../../main/server/keys/key-pool';
import { MemorySettingsSource } from '../../../main/server/settings/settings-source';
import { writableSettingsOf } from '../../../main/server/settings/writable-of';

const K1 = 'xai-UnitAlphaKey-000000000001';
const K2 = 'xai-UnitBravoKey-000000000002';
const K3 = 'xai-UnitCharlieKey-0000000003';
const T0 = 1_750_000_000_000;

let dataDir: string;
let clock: number;
let memory: MemorySettingsSource;
let core: GatewayCore;
let admin: AdminApi;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gemgate-xai-key-admin-'));
  clock = T0;
  memory = new MemorySettingsSource({
    ...settingsDefaults('tray'),
    dataDir,
    password: 'api-Password-1',
    geminiApiKeys: [],
    xaiApiKeys: [K1, K2, K3],
    keyCooldownSeconds: 60,
    keyCheckIntervalMinutes: 0,
    proxyUrl: 'http://127.0.0.1:9',
    imageStorageType: 'memory',
  });
  core = createGatewayCore({ settings: memory, version: '1.2.3', now: () => clock });
  admin = createAdminService(core, {
    mode: 'tray',
    status: () => ({ listening: null, listenError: null }),
    settings: writableSettingsOf(memory),
    warnings: () => [],
  });
});
afterEach(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Hands out the pool's keys until `key` comes, as requests would. */
const leaseOf = (key: string): KeyLease => {
  for (let i = 0; i < 3; i++) {
    const lease = core.xaiKeys.acquire();
    if (lease?.key === key) return lease;
  }
  throw new Error(`no lease for ${key}`);
};

/** What the relay reports when xAI rate-limits K1 and rejects K2 — quoting K2 in full, as a relay in front of xAI might. */
const coolK1AndRejectK2 = () => {
  core.xaiKeys.reportRateLimited(leaseOf(K1), 30_000, 'HTTP 429 from xAI');
  core.xaiKeys.reportInvalid(leaseOf(K2), 400, `HTTP 400 from xAI: Incorrect API key provided: ${K2}`);
};

describe('listXaiKeys', () => {
  it('every pooled key, masked, with its state, counters and last error', async () => {
    coolK1AndRejectK2();
    clock += 12_000;
    const keys = await admin.listXaiKeys();
    expect(keys.map((k) => k.id)).toEqual([K1, K2, K3].map(keyIdOf));
    expect(keys[0]).toMatchObject({
      masked: 'xai-…0001',
      status: 'cooling',
      cooldownUntil: T0 + 30_000,
      requests: 1,
      failures: 1,
      lastError: { at: T0, status: 429, message: 'HTTP 429 from xAI' },
    });
    expect(keys[1]).toMatchObject({
      masked: 'xai-…0002',
      status: 'disabled',
      cooldownUntil: null,
      disabledReason: 'HTTP 400 from xAI: Incorrect API key provided: xai-…0002',
      failures: 1,
      lastError: { status: 400 },
    });
    expect(keys[2]).toMatchObject({ masked: 'xai-…0003', status: 'active', requests: 0, lastUsedAt: null });
    const text = JSON.stringify(keys);
    for (const key of [K1, K2, K3]) expect(text).not.toContain(key);
  });

  it('a cooldown that has run out shows the key active again', async () => {
    coolK1AndRejectK2();
    clock += 30_000;
    expect((await admin.listXaiKeys())[0]).toMatchObject({ status: 'active', cooldownUntil: null });
  });

  it('follows XAI_API_KEYS: empty without keys, the new list once saved', async () => {
    memory.update({ xaiApiKeys: [] });
    expect(await admin.listXaiKeys()).toEqual([]);
    memory.update({ xaiApiKeys: [K3] });
    expect((await admin.listXaiKeys()).map((k) => k.masked)).toEqual(['xai-…0003']);
  });

  it('is not the Gemini list', async () => {
    memory.update({ geminiApiKeys: ['AIzaFAKE-valid-key-0001'] });
    expect((await admin.listKeys()).map((k) => k.masked)).toEqual(['AIza…0001']);
    expect((await admin.listXaiKeys()).map((k) => k.masked)).toEqual(['xai-…0001', 'xai-…0002', 'xai-…0003']);
  });
});

describe('enableXaiKey', () => {
  it('switches a disabled key back on, logged with its masked key, and answers the new list', async () => {
    coolK1AndRejectK2();
    const keys = await admin.enableXaiKey(keyIdOf(K2));
    expect(keys[1]).toMatchObject({ status: 'active', disabledReason: null });
    // Its last error stays: it says why the key was off.
    expect(keys[1]?.lastError).toMatchObject({ status: 400 });
    expect(core.xaiKeys.acquire(new Set([keyIdOf(K3)]))?.key).toBe(K2);
    const log = core.log.recent().map((e) => e.message);
    expect(log).toContain('admin: xAI key xai-…0002 enabled again');
    expect(log.join('\n')).not.toContain(K2);
  });

  it('leaves a cooling key cooling and an active one as it is', async () => {
    coolK1AndRejectK2();
    const keys = await admin.enableXaiKey(keyIdOf(K1));
    expect(keys[0]).toMatchObject({ status: 'cooling', cooldownUntil: T0 + 30_000 });
    expect((await admin.enableXaiKey(keyIdOf(K3)))[2]?.status).toBe('active');
    expect(core.log.recent().some((e) => e.message.includes('enabled again'))).toBe(false);
  });

  it('an unknown id is a 404; a missing or malformed one a 400 naming it', async () => {
    await expect(admin.enableXaiKey('abcdef123456')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
      param: 'id',
    });
    // A Gemini key's id is no xAI key's.
    memory.update({ geminiApiKeys: ['AIzaFAKE-valid-key-0001'] });
    await expect(admin.enableXaiKey(keyIdOf('AIzaFAKE-valid-key-0001'))).rejects.toMatchObject({
      status: 404,
    });
    for (const bad of ['', 42, 'x'.repeat(101)]) {
      const err = await admin.enableXaiKey(bad as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 400, param: 'id' });
    }
  });
});
