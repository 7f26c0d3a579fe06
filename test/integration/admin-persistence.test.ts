/**
 * Headless settings persistence (issue "Headless" item 4) with the real headless process: values
 * saved in the web admin live in DATA_DIR/settings.json (0600, secrets as given), survive a restart
 * with the same environment, win over the environment until reset, and a broken saved value is
 * ignored with a warning instead of stopping the server.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { keyIdOf } from '../../main/server/keys/key-pool';
import { startHeadless, type HeadlessProcess } from '../support/headless-process';
import { errorOf, signIn } from './admin-http-client';

const ADMIN = 'Admin-Password-1';
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

let fake: FakeGemini;
let scratch: string;
let dataDir: string;

beforeAll(async () => {
  fake = await startFakeGemini();
  scratch = mkdtempSync(join(tmpdir(), 'gemgate-persist-'));
  dataDir = join(scratch, 'data');
});
afterAll(async () => {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});

const baseEnv = (dir = dataDir): Record<string, string> => ({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dir,
  PROXY_URL: fake.url,
  GEMINI_API_KEYS: DEFAULT_FAKE_KEY,
  PASSWORD: 'env-Password-1',
  ADMIN_PASSWORD: ADMIN,
  MAX_REQUESTS_PER_DAY_PER_IP: '500',
  KEY_CHECK_INTERVAL_MINUTES: '0',
});

/** Starts the headless server, runs `body` against it, stops it with SIGTERM. */
async function withServer(
  env: Record<string, string>,
  body: (url: string, proc: HeadlessProcess) => Promise<void>,
): Promise<void> {
  const proc = await startHeadless(env);
  try {
    await proc.waitForOutput(LISTENING);
    await body(`http://127.0.0.1:${LISTENING.exec(proc.output())![1]}`, proc);
  } finally {
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }
}

const modelsStatus = async (url: string, key: string) => {
  const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return res.status;
};

describe('headless settings persistence', () => {
  it('saves admin changes to DATA_DIR/settings.json (0600), restores them after a restart, saved beats env', async () => {
    await withServer(baseEnv(), async (url) => {
      const { admin } = await signIn(url, ADMIN);
      const first = await admin.getSettings();
      expect(first.overridden).toEqual([]);
      expect(first.fromEnvironment).toEqual(
        expect.arrayContaining(['password', 'adminPassword', 'maxRequestsPerDayPerIp', 'dataDir']),
      );
      expect(first.fromEnvironment).not.toContain('maxRequestsPerMinute');

      const saved = await admin.updateSettings({
        password: 'saved-Password-2',
        maxRequestsPerDayPerIp: 123,
        extraModels: ['gemini-extra-1'],
      });
      expect(saved.settings.overridden.sort()).toEqual(['extraModels', 'maxRequestsPerDayPerIp', 'password']);
      expect(await modelsStatus(url, 'saved-Password-2')).toBe(200);
    });

    const file = join(dataDir, 'settings.json');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      settings: {
        password: 'saved-Password-2',
        maxRequestsPerDayPerIp: 123,
        extraModels: ['gemini-extra-1'],
      },
    });

    // Same environment, and the variable of a saved setting changed: the saved value still wins;
    // a variable the admin never touched applies.
    await withServer(
      { ...baseEnv(), MAX_REQUESTS_PER_DAY_PER_IP: '999', MAX_REQUESTS_PER_MINUTE: '77' },
      async (url) => {
        const { admin } = await signIn(url, ADMIN);
        const view = await admin.getSettings();
        expect(view.values.maxRequestsPerDayPerIp).toBe(123);
        expect(view.values.maxRequestsPerMinute).toBe(77);
        expect(view.values.extraModels).toEqual(['gemini-extra-1']);
        expect(view.overridden.sort()).toEqual(['extraModels', 'maxRequestsPerDayPerIp', 'password']);
        expect(view.fromEnvironment).toEqual(
          expect.arrayContaining(['maxRequestsPerDayPerIp', 'maxRequestsPerMinute']),
        );
        expect(await modelsStatus(url, 'saved-Password-2')).toBe(200);
        expect(await modelsStatus(url, 'env-Password-1')).toBe(401);

        // Reset: the environment applies again, at once and after the next restart.
        const reset = await admin.resetSettings(['maxRequestsPerDayPerIp', 'password']);
        expect(reset.settings.values.maxRequestsPerDayPerIp).toBe(999);
        expect(reset.settings.overridden).toEqual(['extraModels']);
        expect(await modelsStatus(url, 'env-Password-1')).toBe(200);
      },
    );

    await withServer({ ...baseEnv(), MAX_REQUESTS_PER_DAY_PER_IP: '999' }, async (url) => {
      const { admin } = await signIn(url, ADMIN);
      const view = await admin.getSettings();
      expect(view.values.maxRequestsPerDayPerIp).toBe(999);
      expect(view.overridden).toEqual(['extraModels']);
      expect(await modelsStatus(url, 'env-Password-1')).toBe(200);
    });
  });

  it('refuses host and port in the web admin: the deployment owns them', async () => {
    await withServer(baseEnv(), async (url) => {
      const client = await signIn(url, ADMIN);
      const port = await client.raw('PATCH', '/admin/api/settings', { port: 9999 });
      expect(port.status).toBe(400);
      expect(errorOf(port)).toMatchObject({ param: 'port' });
      expect(errorOf(port).message).toContain('PORT');
      const host = await client.raw('PATCH', '/admin/api/settings', { host: '0.0.0.0' });
      expect(host.status).toBe(400);
      expect(errorOf(host).param).toBe('host');
      // The unchanged value, as a client sending the whole form back has it, is accepted.
      const view = await client.admin.getSettings();
      await expect(client.admin.updateSettings({ host: view.values.host })).resolves.toBeDefined();
    });
  });

  it('an invalid saved value is ignored with a warning (without the value); the server still starts', async () => {
    const own = mkdtempSync(join(scratch, 'broken-'));
    writeFileSync(
      join(own, 'settings.json'),
      JSON.stringify({
        version: 1,
        // Values no timestamp can contain, so the "not echoed" check below cannot match a log line's time.
        settings: { maxRequestsPerMinute: -918273, adminPassword: 6453729, extraModels: ['ok-1'] },
      }),
    );
    await withServer(baseEnv(own), async (url, proc) => {
      const warnings = proc
        .output()
        .split('\n')
        .filter((line) => line.includes('saved value is ignored'));
      expect(warnings).toHaveLength(2);
      expect(warnings.join('\n')).toContain("'maxRequestsPerMinute'");
      expect(warnings.join('\n')).toContain("'adminPassword'");
      expect(warnings.join('\n')).not.toMatch(/918273|6453729/);
      const { admin } = await signIn(url, ADMIN);
      const view = await admin.getSettings();
      expect(view.values.maxRequestsPerMinute).toBe(30);
      expect(view.values.extraModels).toEqual(['ok-1']);
    });
  });
  it('a Gemini key the owner disabled stays disabled after a restart, until enabled again', async () => {
    const dir = join(scratch, 'data-disabled-key');
    const id = keyIdOf(DEFAULT_FAKE_KEY);
    const healthOf = async (url: string) => {
      const { admin } = await signIn(url, ADMIN);
      return { admin, key: (await admin.listKeys()).find((k) => k.id === id) };
    };
    await withServer(baseEnv(dir), async (url) => {
      const { admin } = await healthOf(url);
      await admin.setKeyEnabled(id, false);
    });
    // Only the id is kept on disk, never the key.
    const file = readFileSync(join(dir, 'disabled-keys.json'), 'utf8');
    expect(JSON.parse(file)).toEqual({ version: 1, ids: [id] });
    expect(file).not.toContain(DEFAULT_FAKE_KEY);

    await withServer(baseEnv(dir), async (url) => {
      const { admin, key } = await healthOf(url);
      // The start-up key check found the key valid; the owner's switch still holds.
      expect(key).toMatchObject({ status: 'disabled', disabledReason: 'disabled in the admin' });
      await admin.setKeyEnabled(id, true);
    });
    await withServer(baseEnv(dir), async (url) => {
      const { key } = await healthOf(url);
      expect(key?.status).toBe('active');
    });
  });
});
