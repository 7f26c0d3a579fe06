/**
 * The admin service as the desktop shell uses it (over IPC, no HTTP): a fake tray host with a stopped,
 * failed or exposed listener, extra shell warnings, live listener restarts, gallery links on the local
 * listener, and validation of every input in the service itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../../shared/admin-contract';
import type { GatewayWarning } from '../../../shared/admin-dto';
import { settingsDefaults, type Settings } from '../../../shared/settings-schema';
import type { AdminHost, ListenerStatus } from '../../../main/server/admin/admin-host';
import { createAdminService } from '../../../main/server/admin/admin-service';
import { createGatewayCore, type GatewayCore } from '../../../main/server/core';
import { ApiError } from '../../../main/server/errors';
import { MemorySettingsSource } from '../../../main/server/settings/settings-source';
import { writableSettingsOf } from '../../../main/server/settings/writable-of';
import { makePng } from '../../fakes/fake-gemini';

const KEY = 'AIzaFAKE-valid-key-0001';
const RUNNING: ListenerStatus = {
  listening: { host: '127.0.0.1', port: 7860, baseUrl: 'http://127.0.0.1:7860/v1' },
  listenError: null,
};

let dataDir: string;
let core: GatewayCore;
let memory: MemorySettingsSource;
let listener: ListenerStatus;
let shellWarnings: GatewayWarning[];

const start = (overrides: Partial<Settings> = {}) => {
  memory = new MemorySettingsSource({
    ...settingsDefaults('tray'),
    dataDir,
    password: 'api-Password-1',
    geminiApiKeys: [KEY],
    keyCheckIntervalMinutes: 0,
    // Key checks (addKeys) must not reach Google: a closed local port refuses at once.
    proxyUrl: 'http://127.0.0.1:9',
    imageStorageType: 'memory',
    ...overrides,
  });
  core = createGatewayCore({ settings: memory, version: '1.2.3' });
  const host: AdminHost = {
    mode: 'tray',
    status: () => listener,
    settings: writableSettingsOf(memory),
    warnings: () => shellWarnings,
  };
  return createAdminService(core, host);
};

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gemgate-admin-service-'));
  listener = RUNNING;
  shellWarnings = [];
});
afterEach(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('getStatus in the tray', () => {
  it('a sound setup: tray mode, the listener, no warnings', async () => {
    const status = await start().getStatus();
    expect(status).toMatchObject({
      version: '1.2.3',
      mode: 'tray',
      listening: RUNNING.listening,
      listenError: null,
      keys: { total: 1, active: 1, cooling: 0, disabled: 0 },
      warnings: [],
    });
  });

  it('listening null → server_not_running, with the reason when it failed', async () => {
    const admin = start();
    listener = { listening: null, listenError: 'port 7860 is in use' };
    expect(await admin.getStatus()).toMatchObject({
      listening: null,
      listenError: 'port 7860 is in use',
      warnings: ['server_not_running'],
    });
    listener = { listening: null, listenError: null };
    expect((await admin.getStatus()).warnings).toEqual(['server_not_running']);
  });

  it('a known cause comes as a code too, for the window to word in its language', async () => {
    const admin = start();
    listener = {
      listening: null,
      listenError: 'port 7860 is in use',
      listenProblem: { code: 'port_in_use', port: 7860 },
    };
    expect(await admin.getStatus()).toMatchObject({
      listenError: 'port 7860 is in use',
      listenProblem: { code: 'port_in_use', port: 7860 },
    });
    listener = { listening: null, listenError: 'listen EWHATEVER' };
    expect((await admin.getStatus()).listenProblem).toBeNull();
    listener = RUNNING;
    expect((await admin.getStatus()).listenProblem).toBeNull();
  });

  it('publicUrl: HOST_URL when set (the address clients are told), else null', async () => {
    const admin = start();
    expect((await admin.getStatus()).publicUrl).toBeNull();
    await admin.updateSettings({ hostUrl: 'https://gemgate.example.com/' });
    expect((await admin.getStatus()).publicUrl).toBe('https://gemgate.example.com');
  });

  it('default_password_exposed only beyond loopback with the password "123"', async () => {
    const admin = start({ password: '123' });
    expect((await admin.getStatus()).warnings).toEqual([]);
    listener = {
      listening: { host: '0.0.0.0', port: 7860, baseUrl: 'http://127.0.0.1:7860/v1' },
      listenError: null,
    };
    expect((await admin.getStatus()).warnings).toEqual(['default_password_exposed']);
    await admin.updateSettings({ password: 'a-Better-one-9' });
    expect((await admin.getStatus()).warnings).toEqual([]);
  });

  it('no_keys, all_keys_unavailable, storage_misconfigured and the shell’s own warnings', async () => {
    const admin = start({ geminiApiKeys: [] });
    expect((await admin.getStatus()).warnings).toEqual(['no_keys']);
    await admin.addKeys(KEY);
    core.keys.disable((await admin.listKeys())[0]!.id, 'test');
    expect((await admin.getStatus()).warnings).toEqual(['all_keys_unavailable']);
    await admin.updateSettings({ imageStorageType: 'qiniu' });
    shellWarnings = ['secrets_unencrypted', 'all_keys_unavailable'];
    expect((await admin.getStatus()).warnings).toEqual([
      'all_keys_unavailable',
      'storage_misconfigured',
      'secrets_unencrypted',
    ]);
  });
});

describe('updateSettings in the tray', () => {
  it('restarting: a listener setting changed while the listener runs or failed, not when stopped', async () => {
    const admin = start();
    expect((await admin.updateSettings({ port: 7861 })).restarting).toBe(true);
    expect((await admin.updateSettings({ maxRequestsPerMinute: 9 })).restarting).toBe(false);
    // The image folder is no listener setting: the image store follows it at once.
    expect((await admin.updateSettings({ imageStorageDir: join(dataDir, 'pictures') })).restarting).toBe(
      false,
    );
    listener = { listening: null, listenError: 'port 7861 is in use' };
    expect((await admin.updateSettings({ host: '0.0.0.0' })).restarting).toBe(true);
    listener = { listening: null, listenError: null };
    expect((await admin.updateSettings({ port: 7862 })).restarting).toBe(false);
    // The tray moves its listener itself: nothing waits for a restart of the app.
    expect((await admin.getStatus()).warnings).not.toContain('restart_required');
  });

  it('a new data folder waits for the next launch: restart_required', async () => {
    const admin = start();
    const result = await admin.updateSettings({ dataDir: join(dataDir, 'elsewhere') });
    expect(result.restarting).toBe(false);
    expect((await admin.getStatus()).warnings).toEqual(['restart_required']);
  });

  it('validates in the service, whatever the transport: 400s naming the argument', async () => {
    const admin = start();
    const cases: [Promise<unknown>, string | null][] = [
      [admin.updateSettings('port' as never), null],
      [admin.updateSettings({ port: 70000 }), 'port'],
      [admin.resetSettings(['nope' as never]), 'nope'],
      [admin.revealSecret('port'), 'port'],
      [admin.addKeys(5 as never), 'text'],
      [admin.removeKeys('all' as never), 'ids'],
      [admin.checkKeys([42] as never), 'ids[0]'],
      [admin.setKeyEnabled('abc', 'yes' as never), 'enabled'],
      [admin.getUsage('1y' as never), 'range'],
      [admin.getLogs(-1), 'after'],
      [admin.listImages({ limit: 500 }), 'limit'],
      [admin.deleteImages([''] as never), 'ids[0]'],
      [admin.createAccessKey({} as never), 'name'],
    ];
    for (const [call, param] of cases) {
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, String(param)).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 400, param });
    }
    expect(memory.get().port).toBe(7860);
  });

  it('secrets leave only through revealSecret', async () => {
    const admin = start({ xaiApiKeys: ['xai-aaaaaaaaaaaa-1111'] });
    const view = await admin.getSettings();
    expect(JSON.stringify(view)).not.toContain('api-Password-1');
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect(view.values.password).toBe(SECRET_MASK);
    expect(await admin.revealSecret('password')).toBe('api-Password-1');
    expect(core.log.recent().map((e) => e.message)).toContain('admin: revealed password');
  });
});

describe('gallery links on the desktop', () => {
  it('absolute on the local listener; HOST_URL wins; relative when no listener runs', async () => {
    const admin = start();
    const saved = await core.images.library.save(makePng(0), 'image/png', { source: 'chat', prompt: 'p' });
    expect((await admin.listImages({})).entries[0]!.url).toBe(`http://127.0.0.1:7860/images/${saved.id}.png`);
    listener = { listening: null, listenError: null };
    expect((await admin.listImages({})).entries[0]!.url).toBe(`/images/${saved.id}.png`);
    await admin.updateSettings({ hostUrl: 'https://gw.example' });
    expect((await admin.listImages({})).entries[0]!.url).toBe(`https://gw.example/images/${saved.id}.png`);
  });
});
