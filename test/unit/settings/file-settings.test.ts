/**
 * FileSettingsSource, the headless settings: default ← environment ← saved, DATA_DIR/settings.json
 * written atomically with mode 0600, validated on load (bad values ignored with a warning, a broken
 * file moved aside), reset back to the environment, and the deployment's settings never saved.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECRET_MASK } from '../../../shared/admin-contract';
import { parseSettingsFromEnv, type EnvSource } from '../../../shared/settings-env';
import type { Settings } from '../../../shared/settings-schema';
import { ApiError } from '../../../main/server/errors';
import { environmentKeys } from '../../../main/server/settings/environment-keys';
import { FileSettingsSource, SETTINGS_FILE } from '../../../main/server/settings/file-settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-file-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ENV: EnvSource = {
  PASSWORD: 'env-Password-1',
  MAX_REQUESTS_PER_MINUTE: '45',
  GEMINI_API_KEYS: 'AIza-env-key-000000001, AIza-env-key-000000002',
  EXTRA_MODELS: '   ',
};

const open = (env: EnvSource = ENV) => {
  const parsed = parseSettingsFromEnv(env, 'headless');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return new FileSettingsSource({ environment: parsed.settings, fromEnvironment: environmentKeys(env), dir });
};
const file = () => join(dir, SETTINGS_FILE);
const onDisk = () =>
  JSON.parse(readFileSync(file(), 'utf8')) as { version: number; settings: Record<string, unknown> };

describe('environmentKeys', () => {
  it('lists the settings a variable sets; blank variables do not count', () => {
    expect(environmentKeys(ENV).sort()).toEqual(['geminiApiKeys', 'maxRequestsPerMinute', 'password']);
  });
});

describe('precedence', () => {
  it('default ← environment ← saved, with the origin of each', async () => {
    const source = open();
    expect(source.get().maxRequestsPerMinute).toBe(45);
    expect(source.get().maxRequestsPerDayPerIp).toBe(600);
    expect(source.originOf('maxRequestsPerMinute')).toBe('environment');
    expect(source.originOf('maxRequestsPerDayPerIp')).toBe('default');
    expect(existsSync(file())).toBe(false);

    await source.update({ maxRequestsPerMinute: 5, maxRequestsPerDayPerIp: 6 });
    expect(source.get()).toMatchObject({ maxRequestsPerMinute: 5, maxRequestsPerDayPerIp: 6 });
    expect(source.originOf('maxRequestsPerMinute')).toBe('saved');
    expect(source.originOf('maxRequestsPerDayPerIp')).toBe('saved');
    expect([...source.environmentKeys()].sort()).toEqual([
      'geminiApiKeys',
      'maxRequestsPerMinute',
      'password',
    ]);

    await source.reset(['maxRequestsPerMinute', 'maxRequestsPerDayPerIp']);
    expect(source.get()).toMatchObject({ maxRequestsPerMinute: 45, maxRequestsPerDayPerIp: 600 });
    expect(source.originOf('maxRequestsPerMinute')).toBe('environment');
    expect(onDisk().settings).toEqual({});
  });

  it('saved values survive a new instance (a restart) even when the variable changes', async () => {
    await open().update({ maxRequestsPerMinute: 5, password: 'saved-Password-2' });
    const restarted = open({ ...ENV, MAX_REQUESTS_PER_MINUTE: '99', MAX_REQUESTS_PER_DAY_PER_IP: '7' });
    expect(restarted.get()).toMatchObject({
      maxRequestsPerMinute: 5,
      password: 'saved-Password-2',
      maxRequestsPerDayPerIp: 7,
    });
    expect(restarted.warnings).toEqual([]);
  });
});

describe('update', () => {
  it('writes only the saved values, mode 0600, atomically (no temp file left), secrets as given', async () => {
    const source = open();
    await source.update({ password: 'saved-Password-2', whitelistIps: ['10.0.0.0/8'] });
    expect(onDisk()).toEqual({
      version: 1,
      settings: { password: 'saved-Password-2', whitelistIps: ['10.0.0.0/8'] },
    });
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('notifies subscribers once; unchanged arrays keep their identity (the core compares references)', async () => {
    const source = open();
    const keys = source.get().geminiApiKeys;
    const listener = vi.fn<(next: Settings, previous: Settings) => void>();
    source.subscribe(listener);
    await source.update({ maxRequestsPerMinute: 1 });
    expect(listener).toHaveBeenCalledTimes(1);
    const [next, previous] = listener.mock.calls[0]!;
    expect(previous.maxRequestsPerMinute).toBe(45);
    expect(next.maxRequestsPerMinute).toBe(1);
    expect(next.geminiApiKeys).toBe(keys);
    expect(Object.isFrozen(next)).toBe(true);
  });

  it('an invalid value → 400 naming the setting; nothing saved, nothing changed', async () => {
    const source = open();
    const before = source.get();
    const failure = await source
      .update({ maxRequestsPerMinute: 2, whitelistIps: ['nope'] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 400, param: 'whitelistIps[0]' });
    expect(source.get()).toBe(before);
    expect(existsSync(file())).toBe(false);
    await expect(source.update({ nope: 1 } as never)).rejects.toMatchObject({ param: 'nope' });
  });

  it('SECRET_MASK leaves a secret as it is', async () => {
    const source = open();
    await source.update({ password: SECRET_MASK, maxRequestsPerMinute: 3 });
    expect(source.get().password).toBe('env-Password-1');
    expect(source.originOf('password')).toBe('environment');
  });

  it('refuses the deployment settings (DATA_DIR, host, port) unless unchanged', async () => {
    const source = open();
    for (const [key, value] of [
      ['dataDir', '/elsewhere'],
      ['host', '127.0.0.1'],
      ['port', 8080],
    ] as const) {
      await expect(source.update({ [key]: value })).rejects.toMatchObject({ status: 400, param: key });
    }
    await source.update({ port: source.get().port, host: source.get().host });
    expect(source.originOf('port')).toBe('default');
    expect(onDisk().settings).toEqual({});
  });

  it('a failed write throws and changes nothing', async () => {
    const source = open();
    const listener = vi.fn();
    source.subscribe(listener);
    rmSync(dir, { recursive: true, force: true });
    await expect(source.update({ maxRequestsPerMinute: 1 })).rejects.toThrow();
    expect(source.get().maxRequestsPerMinute).toBe(45);
    expect(source.originOf('maxRequestsPerMinute')).toBe('environment');
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('loading the file', () => {
  it('ignores invalid, unknown and deployment values with warnings that never show the value', () => {
    writeFileSync(
      file(),
      JSON.stringify({
        version: 1,
        settings: {
          maxRequestsPerMinute: -5,
          password: '',
          adminPassword: 12345,
          port: 8080,
          somethingNew: true,
          maxRequestsPerDayPerIp: 9,
        },
      }),
    );
    const source = open();
    expect(source.get()).toMatchObject({
      maxRequestsPerMinute: 45,
      password: 'env-Password-1',
      adminPassword: '',
      port: 7860,
      maxRequestsPerDayPerIp: 9,
    });
    expect(source.originOf('maxRequestsPerDayPerIp')).toBe('saved');
    expect(source.originOf('maxRequestsPerMinute')).toBe('environment');
    const text = source.warnings.join('\n');
    expect(source.warnings).toHaveLength(5);
    for (const name of [
      "'maxRequestsPerMinute'",
      "'password'",
      "'adminPassword'",
      "'port'",
      "'somethingNew'",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toMatch(/-5\b|12345|8080/);
  });

  it('moves a file that is not JSON aside, keeps running on the environment, and can save again', async () => {
    writeFileSync(file(), '{ "settings": { broken');
    const source = open();
    expect(source.warnings).toEqual([expect.stringContaining('is not valid JSON')]);
    expect(readFileSync(`${file()}.invalid`, 'utf8')).toBe('{ "settings": { broken');
    expect(source.get().maxRequestsPerMinute).toBe(45);
    await source.update({ maxRequestsPerMinute: 2 });
    expect(onDisk().settings).toEqual({ maxRequestsPerMinute: 2 });
  });

  it('a file without a settings object is moved aside too', () => {
    writeFileSync(file(), JSON.stringify(['maxRequestsPerMinute', 2]));
    const source = open();
    expect(source.warnings).toEqual([expect.stringContaining('has no "settings" object')]);
    expect(existsSync(`${file()}.invalid`)).toBe(true);
  });
});
