/**
 * The whole tray app composed against the fake `electron` module: the real core, settings store
 * (conf in a temp folder, standing in for electron-store), server host and IPC layer, with a real
 * listener on 127.0.0.1:0. Single-instance behaviour, start-up, log push, and a graceful Quit;
 * passwords the keychain cannot decrypt, a damaged settings file, the web admin of the tray app.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openConfStore } from './conf-store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminApi } from '../../shared/admin-contract';
import type { GatewayStatus } from '../../shared/admin-dto';
import { IPC_LOG_CHANNEL, desktopChannelOf, ipcChannelOf } from '../../shared/admin-transport';
import type { SettingsFileEvents } from '../../main/electron/settings-file';
import type { KeyValueStore } from '../../main/electron/settings-store';
import { SECRET_MARKER } from '../../main/electron/secrets';
import { SETTINGS_KEY, STORE_NAME } from '../../main/electron/settings-migrations';
import type { AdminHost } from '../../main/server/admin/admin-host';
import { createAdminService } from '../../main/server/admin/admin-service';
import type { DesktopApp, DesktopDeps } from '../../main/electron/desktop-app';
import { makePng } from '../fakes/fake-gemini/png';
import { signIn } from '../integration/admin-http-client';

vi.mock('electron', () => import('./fake-electron'));
const { fake, app } = await import('./fake-electron');
const { APP_ID, startDesktopApp } = await import('../../main/electron/desktop-app');

let dir: string;
let running: DesktopApp | null = null;
let adminHost: AdminHost | undefined;

const openStore = async (events: SettingsFileEvents): Promise<KeyValueStore> => openConfStore(dir, events);
const fakeAdmin = { getStatus: async () => ({ fake: true }) } as unknown as AdminApi;

const start = async (argv: string[] = [], more: Partial<DesktopDeps> = {}) => {
  running = await startDesktopApp({
    createAdmin: (_core, host) => {
      adminHost = host;
      return fakeAdmin;
    },
    openStore,
    argv,
    platform: 'linux',
    consoleLog: false,
    ...more,
  });
  return running;
};
const answers = async (port: number) =>
  fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

const freePort = async (): Promise<number> => {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};
const logLines = (desktop: DesktopApp, level: string) =>
  desktop.core.log
    .recent()
    .filter((e) => e.level === level)
    .map((e) => e.message);

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'gemgate-app-'));
  fake.paths = { userData: dir, appData: join(dir, 'config') };
  // Port 0: never the real 7860 of a developer's running gateway.
  writeFileSync(
    join(dir, `${STORE_NAME}.json`),
    JSON.stringify({ settings: { port: 0, keyCheckIntervalMinutes: 0 } }),
  );
});
afterEach(async () => {
  await running?.shutdown();
  running = null;
  Reflect.deleteProperty(process, 'resourcesPath');
  rmSync(dir, { recursive: true, force: true });
});

describe('single instance', () => {
  it('a second launch quits at once and leaves everything to the first', async () => {
    fake.singleInstanceLock = false;
    expect(await start()).toBeNull();
    expect(fake.quitCalls).toBe(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.trays).toHaveLength(0);
    expect(fake.handlers.size).toBe(0);
  });

  it('the first instance shows and focuses its window when a second one starts', async () => {
    await start();
    const win = fake.windows[0]!;
    await vi.waitFor(() => expect(win.visible).toBe(true));

    win.close(); // the close button only hides: the gateway keeps running in the tray
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);

    win.minimize();
    app.emit('second-instance', {}, ['gemgate'], '/');
    expect(win.calls.slice(-3)).toEqual(['restore', 'show', 'focus']);
    expect(win.visible && win.focused).toBe(true);
    expect(fake.windows).toHaveLength(1);
  });
});

describe('tray app', () => {
  it('starts the proxy on launch and shows its address in the tray', async () => {
    const desktop = (await start())!;
    const status = desktop.host.status();
    expect(status.state).toBe('running');
    const port = status.listening!.port;
    expect(await answers(port)).toBe(true);
    const tray = fake.trays[0]!;
    expect(tray.item('status').label).toBe(`Running on http://127.0.0.1:${port}`);
    expect(tray.image.path).toMatch(/tray-running-linux\.png$/);
    expect(app.sandboxed).toBe(true);
    // The admin service gets the agreed host object.
    expect(adminHost?.mode).toBe('tray');
    expect(adminHost?.status()).toEqual({ listening: status.listening, listenError: null });
    expect(adminHost?.settings).toBe(desktop.settings);
  });

  it('the window is secure and the data folder lives under userData', async () => {
    const desktop = (await start())!;
    const win = fake.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: join('/app', 'dist', 'preload', 'preload.cjs'),
    });
    expect(win.loaded.url).toBe(pathToFileURL(join('/app', 'dist', 'renderer', 'index.html')).href);
    expect(desktop.settings.get().dataDir).toBe(join(dir, 'data'));
  });

  it('stays in the tray, window closed, when launched at login', async () => {
    await start(['--hidden']);
    expect(fake.windows).toHaveLength(0);
    fake.trays[0]!.item('open-logs').click!({ checked: false });
    expect(fake.windows[0]!.loaded.url).toMatch(/index\.html#\/logs$/);
  });

  it('pushes log entries to the window and serves IPC from it', async () => {
    const desktop = (await start())!;
    const win = fake.windows[0]!;
    desktop.core.log.info('hello window');
    expect(
      win.webContents.sent
        .filter((m) => m.channel === IPC_LOG_CHANNEL)
        .map((m) => (m.payload as { message: string }).message),
    ).toContain('hello window');
    const handler = fake.handlers.get(ipcChannelOf('getStatus'))!;
    const ours = {
      sender: win.webContents,
      senderFrame: { url: `file://${join('/app', 'dist', 'renderer', 'index.html')}`, parent: null },
    };
    expect(await handler(ours)).toEqual({ ok: true, value: { fake: true } });
  });

  it('desktop actions from the window: stop/start the server, launch at login (tray follows)', async () => {
    const desktop = (await start())!;
    const win = fake.windows[0]!;
    const ours = {
      sender: win.webContents,
      senderFrame: { url: `file://${join('/app', 'dist', 'renderer', 'index.html')}`, parent: null },
    };
    const call = (method: string, ...args: unknown[]) =>
      fake.handlers.get(desktopChannelOf(method as never))!(ours, ...args);

    expect(await call('stopServer')).toEqual({ ok: true, value: undefined });
    expect(desktop.host.status().state).toBe('stopped');
    expect(fake.trays[0]!.item('toggle-server').label).toBe('Start server');
    await call('startServer');
    expect(desktop.host.status().state).toBe('running');

    await call('setLaunchAtLogin', true);
    expect(existsSync(join(dir, 'config', 'autostart', 'gemgate.desktop'))).toBe(true);
    expect(fake.trays[0]!.item('launch-at-login').checked).toBe(true);
    expect(await call('getLaunchAtLogin')).toEqual({ ok: true, value: true });

    await call('openImageFolder');
    expect(fake.openedPaths).toEqual([join(dir, 'data', 'images')]);
  });

  it('warns in the log when secrets cannot be encrypted', async () => {
    fake.encryptionAvailable = false;
    const desktop = (await start())!;
    expect(
      desktop.core.log
        .recent()
        .map((e) => e.message)
        .join('\n'),
    ).toMatch(/!!! .*plain text.* !!!/);
  });

  it('Copy items put the base URL and the password on the clipboard', async () => {
    const desktop = (await start())!;
    const tray = fake.trays[0]!;
    tray.item('copy-base-url').click!({ checked: false });
    expect(fake.clipboard).toBe(desktop.host.status().listening!.baseUrl);
    tray.item('copy-password').click!({ checked: false });
    expect(fake.clipboard).toBe('123');
  });

  it('Quit from the tray stops the listener gracefully, closes the core, then quits', async () => {
    const desktop = (await start())!;
    const port = desktop.host.status().listening!.port;
    const closeCore = vi.spyOn(desktop.core, 'close');
    fake.trays[0]!.item('quit').click!({ checked: false });
    expect(app.quitted).toBe(false); // held back until the shutdown is done
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(closeCore).toHaveBeenCalledOnce();
    expect(await answers(port)).toBe(false);
    expect(fake.trays[0]!.destroyed).toBe(true);
    expect(fake.handlers.size).toBe(0);
    // The window may close now (it was only hidden before).
    fake.windows[0]!.close();
    expect(fake.windows[0]!.destroyed).toBe(true);
    running = null;
  });

  it('Quit does not wait forever for a shutdown that hangs', async () => {
    const desktop = (await start([], { quitTimeoutMs: 200 }))!;
    const realClose = desktop.core.close.bind(desktop.core);
    // The core's upstream clients wait for calls still in flight: here, forever.
    vi.spyOn(desktop.core, 'close').mockReturnValue(new Promise<void>(() => undefined));
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    fake.trays[0]!.item('quit').click!({ checked: false });
    await vi.waitFor(() => expect(app.quitted).toBe(true), { timeout: 3000 });
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/quitting anyway/);
    stderr.mockRestore();
    running = null;
    await realClose();
  });
  it('a Quit during the wait for the system proxy leaves no listener behind', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, `${STORE_NAME}.json`),
      JSON.stringify({ settings: { port, keyCheckIntervalMinutes: 0 } }),
    );
    // A PAC script that never loads: the start waits up to 3 s for the first answer.
    fake.proxyAnswer = () => new Promise<string>(() => undefined);
    const starting = start();
    await vi.waitFor(() => expect(fake.proxyQueries).not.toEqual([]));
    await new Promise((resolve) => setTimeout(resolve, 500));
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    const desktop = (await starting)!;
    expect(desktop.host.status().listening).toBeNull();
    expect(await answers(port)).toBe(false);
    expect(logLines(desktop, 'info').join('\n')).not.toMatch(/listening on/);
    running = null;
  });
});

describe('Windows', () => {
  it("the packaged app uses the installer's AppUserModelID, so its notifications show", async () => {
    app.isPackaged = true;
    (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath = join(dir, 'resources');
    await start([], { platform: 'win32' });
    const yml = readFileSync(join(process.cwd(), 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(new RegExp(`^appId: ${APP_ID.replace(/\./g, '\\.')}$`, 'm'));
    expect(fake.appUserModelId).toBe(APP_ID);
    // The login item (a Run entry named after that ID) starts the installed exe.
    fake.trays[0]!.item('launch-at-login').click!({ checked: true });
    expect(fake.loginItem).toMatchObject({ openAtLogin: true, path: process.execPath, args: ['--hidden'] });
    expect(fake.trays[0]!.item('launch-at-login').checked).toBe(true);
  });

  it("a development run keeps Electron's own ID (the installed app owns the login item)", async () => {
    await start([], { platform: 'win32' });
    expect(fake.appUserModelId).toBeNull();
  });
});

describe('saved passwords the keychain cannot decrypt', () => {
  it('keep the listener down and say why, until new values are saved', async () => {
    const port = await freePort();
    // What a locked keyring, a denied Keychain prompt or lost DPAPI keys leave: ciphertext that
    // safeStorage refuses to decrypt.
    const undecryptable = `${SECRET_MARKER}${Buffer.from('sealed by a lost key').toString('base64')}`;
    writeFileSync(
      join(dir, `${STORE_NAME}.json`),
      JSON.stringify({
        settings: { port, keyCheckIntervalMinutes: 0, password: undecryptable, adminPassword: undecryptable },
      }),
    );
    const desktop = (await start())!;
    const reason =
      'the saved settings "Password (API key for clients)" and "Admin password" could not be decrypted ' +
      '(the system keychain may be locked or unavailable), so the server does not listen: unlock the ' +
      'keychain and restart Gemgate, or set a new value for them in Settings';
    expect(desktop.host.status()).toMatchObject({ state: 'error', listening: null, listenError: reason });
    expect(await answers(port)).toBe(false);
    // Shown where other listen errors are: tray, window (admin status), notification, log.
    expect(fake.trays[0]!.item('status').label).toBe(`Not running: ${reason}`);
    expect(adminHost?.status()).toEqual({
      listening: null,
      listenError: reason,
      listenProblem: { code: 'secrets_unreadable', settings: ['password', 'adminPassword'] },
    });
    expect(fake.notifications).toEqual([{ title: 'Gemgate could not start its server', body: `${reason}.` }]);
    expect(logLines(desktop, 'error')).toContain(`Gemgate could not start its server: ${reason}.`);
    // The core runs all the same: key health and the settings work in the window.
    expect(desktop.core.keys.availability()).toMatchObject({ total: 0 });

    await desktop.settings.update({ password: 'new-Passw0rd-1' });
    expect(desktop.host.status().listenError).toMatch(/^the saved setting "Admin password" could not/);
    expect(await answers(port)).toBe(false);
    await desktop.settings.update({ adminPassword: 'new-Admin-Passw0rd-1' });
    await expect.poll(() => desktop.host.status().state, { timeout: 5000 }).toBe('running');
    expect(await answers(port)).toBe(true);
  });
});

describe('other saved secrets the keychain cannot decrypt', () => {
  it('the dashboard and a notification name them until a new value is saved; the server runs', async () => {
    const undecryptable = `${SECRET_MARKER}${Buffer.from('sealed by a lost key').toString('base64')}`;
    writeFileSync(
      join(dir, `${STORE_NAME}.json`),
      JSON.stringify({
        settings: { port: 0, keyCheckIntervalMinutes: 0, outboundProxy: undecryptable },
      }),
    );
    const desktop = (await start([], { createAdmin: createAdminService }))!;
    expect(desktop.settings.get().outboundProxy).toBe(''); // the default, meanwhile
    expect(desktop.host.status().state).toBe('running'); // a proxy is no password: no start guard
    // The status the window gets over IPC.
    const win = fake.windows[0]!;
    const ours = {
      sender: win.webContents,
      senderFrame: { url: `file://${join('/app', 'dist', 'renderer', 'index.html')}`, parent: null },
    };
    const status = async () => {
      const reply = (await fake.handlers.get(ipcChannelOf('getStatus'))!(ours)) as {
        value: GatewayStatus;
      };
      return reply.value;
    };
    expect(await status()).toMatchObject({ unreadableSecrets: ['outboundProxy'] });
    expect((await status()).warnings).toContain('secrets_unreadable');
    expect(fake.notifications).toEqual([
      {
        title: 'Gemgate could not decrypt saved settings',
        body:
          'The system keychain could not decrypt the saved "Outbound proxy", so the default is in use. ' +
          'Enter the value again in the Gemgate window to store it afresh.',
      },
    ]);

    await desktop.settings.update({ outboundProxy: 'http://proxy.lan:3128' });
    expect(await status()).toMatchObject({ unreadableSecrets: [] });
    expect((await status()).warnings).not.toContain('secrets_unreadable');
  });

  it('leaves the passwords to the blocked start: no second warning, no second notification', async () => {
    const undecryptable = `${SECRET_MARKER}${Buffer.from('sealed by a lost key').toString('base64')}`;
    writeFileSync(
      join(dir, `${STORE_NAME}.json`),
      JSON.stringify({ settings: { port: 0, keyCheckIntervalMinutes: 0, password: undecryptable } }),
    );
    await start();
    expect(adminHost?.unreadableSecrets?.()).toEqual([]);
    expect(fake.notifications.map((n) => n.title)).toEqual(['Gemgate could not start its server']);
  });
});

describe('the tray on a Chinese system', () => {
  it('words a blocked start in Chinese in the menu and the notification; the log stays English', async () => {
    fake.locale = 'zh-CN';
    const undecryptable = `${SECRET_MARKER}${Buffer.from('sealed by a lost key').toString('base64')}`;
    writeFileSync(
      join(dir, `${STORE_NAME}.json`),
      JSON.stringify({ settings: { port: 0, keyCheckIntervalMinutes: 0, adminPassword: undecryptable } }),
    );
    const desktop = (await start())!;
    const reason =
      '无法解密已保存的“管理密码”（系统钥匙串可能已锁定或不可用），因此服务不会监听：' +
      '请解锁钥匙串后重启 Gemgate，或在设置中重新填写';
    expect(fake.trays[0]!.item('status').label).toBe(`未运行：${reason}`);
    expect(fake.notifications).toEqual([{ title: 'Gemgate 无法启动服务', body: `${reason}。` }]);
    expect(logLines(desktop, 'error')).toContain(
      `Gemgate could not start its server: ${desktop.host.status().listenError}.`,
    );
  });
});

describe('a damaged settings file', () => {
  it('no longer stops the app: it is set aside, the defaults apply, and the log says where it went', async () => {
    const file = join(dir, `${STORE_NAME}.json`);
    const damaged = '{"settings": {"port": 0, "password": "cut sh';
    writeFileSync(file, damaged);
    const desktop = (await start([], {
      openStore: async (events) => {
        const store = openConfStore(dir, events);
        // The defaults would listen on 7860, perhaps a developer's own gateway: not in a test.
        store.set(SETTINGS_KEY, { port: 0, keyCheckIntervalMinutes: 0 });
        return store;
      },
    }))!;
    expect(desktop.host.status().state).toBe('running');
    expect(desktop.settings.get().password).toBe('123');
    const aside = readdirSync(dir).filter((name) => name.startsWith(`${STORE_NAME}.json.damaged-`));
    expect(aside).toHaveLength(1);
    const keptAs = join(dir, aside[0]!);
    expect(readFileSync(keptAs, 'utf8')).toBe(damaged);
    expect(logLines(desktop, 'warn')).toContain(
      `The settings file ${file} was damaged and could not be read; it was kept as ${keptAs}, and Gemgate started with the default settings.`,
    );
  });
});

describe('the web admin of the tray app (/admin over HTTP)', () => {
  /** GET with another Host header: what a browser on another computer sends. */
  const getAs = (url: URL, host: string, token: string) =>
    new Promise<unknown>((resolve, reject) => {
      httpGet(url, { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
      }).on('error', reject);
    });

  it("is the tray's admin, serves the packaged page, and links images on the browser's origin", async () => {
    fake.appPath = join(dir, 'app');
    mkdirSync(join(fake.appPath, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(fake.appPath, 'dist', 'renderer', 'index.html'), '<title>packaged admin</title>');
    fake.encryptionAvailable = false; // a warning only the desktop knows: secrets_unencrypted
    const desktop = (await start())!;
    const listening = desktop.host.status().listening!;
    const origin = `http://127.0.0.1:${listening.port}`;

    expect(await fetch(`${origin}/admin/`).then((r) => r.text())).toBe('<title>packaged admin</title>');
    const { admin, token } = await signIn(origin, '123');
    const status = await admin.getStatus();
    expect(status).toMatchObject({ mode: 'tray', listening, listenError: null });
    expect(status.warnings).toContain('secrets_unencrypted');

    await desktop.core.images.library.save(makePng(1), 'image/png', { source: 'chat' });
    // An mDNS name: over this loopback connection the DNS rebinding guard takes only local names.
    const lanHost = `gemgate.local:${listening.port}`;
    const page = (await getAs(new URL('/admin/api/images', origin), lanHost, token)) as {
      entries: { url: string }[];
    };
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]!.url.startsWith(`http://${lanHost}/images/`)).toBe(true);
  });
});
