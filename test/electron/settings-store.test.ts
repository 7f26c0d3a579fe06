/**
 * The tray's settings store on a real settings file: conf, opened with exactly the options
 * electron-store gets in the app (electron-store is conf plus Electron's userData path), and a
 * safeStorage stand-in that is either available or not.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfStore } from './conf-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../shared/admin-contract';
import { settingsDefaults } from '../../shared/settings-schema';
import { createSecretCodec, SECRET_MARKER, type SafeStorageLike } from '../../main/electron/secrets';
import { ElectronSettingsStore, type KeyValueStore } from '../../main/electron/settings-store';
import { SETTINGS_FORMAT_VERSION, STORE_NAME } from '../../main/electron/settings-migrations';

const KEY_A = 'AIzaSyA-secret-key-number-one-0000000001';
const KEY_B = 'AIzaSyB-secret-key-number-two-0000000002';

const safeStorage = (available: boolean): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('hex')}`),
  decryptString: (cipher) => {
    const text = cipher.toString();
    if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
    return Buffer.from(text.slice(4), 'hex').toString();
  },
});

let dir: string;
const file = () => join(dir, `${STORE_NAME}.json`);
const rawFile = () => readFileSync(file(), 'utf8');
const openConf = (): KeyValueStore => openConfStore(dir);
const open = (encryption = true) =>
  new ElectronSettingsStore({
    store: openConf(),
    secrets: createSecretCodec(safeStorage(encryption)),
    baseDir: dir,
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ElectronSettingsStore', () => {
  it('starts from the tray defaults: loopback, local images, data folder under userData', () => {
    const store = open();
    const s = store.get();
    expect(s).toMatchObject({ ...settingsDefaults('tray'), dataDir: join(dir, 'data') });
    expect(s.host).toBe('127.0.0.1');
    expect(s.imageStorageType).toBe('local');
    expect(store.originOf('port')).toBe('default');
    expect(store.warnings).toEqual([]);
  });

  it('round trip with safeStorage: secrets encrypted on disk, read back after a restart', async () => {
    const store = open(true);
    await store.update({ port: 7861, password: 'hunter2-long', geminiApiKeys: [KEY_A, KEY_B] });
    const disk = rawFile();
    for (const secret of ['hunter2-long', KEY_A, KEY_B]) expect(disk).not.toContain(secret);
    const saved = JSON.parse(disk) as { settings: Record<string, unknown> };
    expect(saved.settings.port).toBe(7861);
    expect(String(saved.settings.password)).toMatch(new RegExp(`^${SECRET_MARKER}[A-Za-z0-9+/=]+$`));
    expect(String(saved.settings.geminiApiKeys)).toContain(SECRET_MARKER);
    // Only saved values are written: defaults stay free to change in a later release.
    expect(Object.keys(saved.settings).sort()).toEqual(['geminiApiKeys', 'password', 'port']);

    const again = open(true);
    expect(again.get()).toMatchObject({
      port: 7861,
      password: 'hunter2-long',
      geminiApiKeys: [KEY_A, KEY_B],
    });
    expect(again.originOf('password')).toBe('saved');
    expect(again.originOf('host')).toBe('default');
  });

  it('round trip without safeStorage: stored plain, and it says so', async () => {
    const codec = createSecretCodec(safeStorage(false));
    expect(codec.warning).toMatch(/plain text/);
    const store = new ElectronSettingsStore({ store: openConf(), secrets: codec, baseDir: dir });
    await store.update({ password: 'plain-pass-1' });
    expect(rawFile()).toContain('plain-pass-1');
    expect(open(false).get().password).toBe('plain-pass-1');
  });

  it('encrypts secrets saved in plain text once encryption becomes available', async () => {
    await open(false).update({ password: 'was-plain-1' });
    expect(rawFile()).toContain('was-plain-1');
    const upgraded = open(true);
    expect(upgraded.get().password).toBe('was-plain-1');
    expect(rawFile()).not.toContain('was-plain-1');
  });

  it('keeps ciphertext it cannot decrypt (keyring away), using the default meanwhile', async () => {
    await open(true).update({ password: 'locked-away-1', port: 7001 });
    const noKeyring = open(false);
    expect(noKeyring.get().password).toBe('123');
    expect(noKeyring.get().port).toBe(7001);
    expect(noKeyring.warnings.join('\n')).toMatch(/Password .* ignored: .*keyring/);
    await noKeyring.update({ port: 7002 }); // an unrelated save must not lose the ciphertext
    expect(open(true).get()).toMatchObject({ password: 'locked-away-1', port: 7002 });
  });

  it('lists the secrets it cannot decrypt until each is replaced or reset', async () => {
    await open(true).update({
      password: 'locked-away-1',
      adminPassword: 'admin-locked-1',
      geminiApiKeys: [KEY_A],
    });
    const noKeyring = open(false);
    const sorted = () => [...noKeyring.unreadableKeys()].sort();
    expect(sorted()).toEqual(['adminPassword', 'geminiApiKeys', 'password']);
    // Listeners already see the new list: the server host asks it when told of a change.
    const seen: string[][] = [];
    noKeyring.subscribe(() => seen.push(sorted()));
    await noKeyring.update({ port: 7002 });
    await noKeyring.update({ password: 'new-password-1' });
    await noKeyring.reset(['adminPassword']);
    expect(seen).toEqual([
      ['adminPassword', 'geminiApiKeys', 'password'],
      ['adminPassword', 'geminiApiKeys'],
      ['geminiApiKeys'],
    ]);
    expect(open(true).unreadableKeys()).toEqual([]);
  });

  it('falls back to the default, with a warning, for an invalid stored value (the rest applies)', () => {
    writeFileSync(
      file(),
      JSON.stringify({ settings: { port: 'eighty', host: '0.0.0.0', whitelistIps: ['10.1'], nonsense: 1 } }),
    );
    const store = open();
    expect(store.get()).toMatchObject({ port: 7860, host: '0.0.0.0', whitelistIps: [] });
    expect(store.originOf('port')).toBe('default');
    expect(store.warnings).toEqual([
      expect.stringMatching(/'port' is invalid .*default applies/),
      expect.stringMatching(/'whitelistIps\[0\]' is invalid/),
      expect.stringMatching(/unknown saved setting 'nonsense'/),
    ]);
  });

  it('rejects an invalid update with an error naming the setting, and saves nothing', async () => {
    const store = open();
    await expect(store.update({ port: 70000, host: '0.0.0.0' })).rejects.toMatchObject({
      status: 400,
      param: 'port',
      message: expect.stringMatching(/^Invalid value for 'port' \(Port, PORT\):/),
    });
    await expect(store.update({ whitelistIps: ['10.0.0.0/8', 'bad'] })).rejects.toMatchObject({
      param: 'whitelistIps[1]',
    });
    await expect(store.update({ bogus: 1 } as never)).rejects.toThrow(/Unknown setting 'bogus'/);
    expect(store.get().host).toBe('127.0.0.1');
    expect(open().get().host).toBe('127.0.0.1');
  });

  it('notifies subscribers with next and previous values; reset returns to the default', async () => {
    const store = open();
    const seen: [number, number][] = [];
    store.subscribe((next, prev) => seen.push([next.port, prev.port]));
    await store.update({ port: 9001 });
    expect(store.originOf('port')).toBe('saved');
    await store.reset(['port']);
    expect(seen).toEqual([
      [9001, 7860],
      [7860, 9001],
    ]);
    expect(store.originOf('port')).toBe('default');
    expect(open().get().port).toBe(7860);
  });

  it('keeps unchanged values identical, so the core sees only real changes', async () => {
    const store = open();
    const before = store.get();
    await store.update({ port: 9002 });
    expect(store.get().geminiApiKeys).toBe(before.geminiApiKeys);
    expect(store.get().whitelistIps).toBe(before.whitelistIps);
  });

  it('treats the secret mask coming back from the UI as "unchanged"', async () => {
    const store = open();
    await store.update({ password: 'real-secret-9' });
    await store.update({ password: SECRET_MASK, port: 9003 });
    expect(store.get()).toMatchObject({ password: 'real-secret-9', port: 9003 });
  });
});

describe('settings file migrations', () => {
  it(`0.1 → ${SETTINGS_FORMAT_VERSION}: imageStorage is renamed to imageStorageType`, () => {
    writeFileSync(
      file(),
      JSON.stringify({
        settings: { imageStorage: 'qiniu', port: 7870 },
        __internal__: { migrations: { version: '0.1.0' } },
      }),
    );
    const store = open();
    expect(store.get()).toMatchObject({ imageStorageType: 'qiniu', port: 7870 });
    expect(store.warnings).toEqual([]);
    const disk = JSON.parse(rawFile()) as {
      settings: object;
      __internal__: { migrations: { version: string } };
    };
    expect(disk.settings).toEqual({ imageStorageType: 'qiniu', port: 7870 });
    expect(disk.__internal__.migrations.version).toBe(SETTINGS_FORMAT_VERSION);
  });

  it('does not run again, and a value under the new name wins', () => {
    writeFileSync(
      file(),
      JSON.stringify({
        settings: { imageStorage: 'qiniu', imageStorageType: 'tencent' },
        __internal__: { migrations: { version: '0.1.0' } },
      }),
    );
    expect(open().get().imageStorageType).toBe('tencent');
    // Already migrated: a stray old key is just an unknown setting now.
    writeFileSync(
      file(),
      JSON.stringify({
        settings: { imageStorage: 'memory' },
        __internal__: { migrations: { version: SETTINGS_FORMAT_VERSION } },
      }),
    );
    const store = open();
    expect(store.get().imageStorageType).toBe('local');
    expect(store.warnings).toEqual([expect.stringMatching(/unknown saved setting 'imageStorage'/)]);
  });
});
