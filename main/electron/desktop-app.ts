/**
 * Composition root of the tray app (DESIGN §1), the Electron twin of main/headless.ts: one instance
 * per user; settings from electron-store (secrets through safeStorage); the core; the HTTP listener
 * (server-host.ts); tray, window, IPC, notifications. The window closing leaves the gateway running
 * in the tray; Quit stops the listener gracefully and closes the core.
 *
 * Everything Electron-specific that tests must replace is a dependency with a real default, and the
 * electron-store module is only loaded by that default (see open-store.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Notification, app, clipboard, ipcMain, safeStorage, session } from 'electron';
import type { AdminApi } from '../../shared/admin-contract';
import { IPC_LOG_CHANNEL } from '../../shared/admin-transport';
import { createGatewayCore, type GatewayCore } from '../server/core';
import { createServer } from '../server/create-server';
import { formatLogLine } from '../server/logging/format-log-line';
import type { LogEntry } from '../server/logging/log-bus';
import { VERSION } from '../version';
import { createDesktopApi } from './desktop-api';
import { registerIpc } from './ipc';
import { createLaunchAtLogin } from './launch-at-login';
import { watchForNotifications } from './notifications';
import { createSecretCodec } from './secrets';
import type { AdminHost } from '../server/admin/admin-host';
import { createServerHost, type ServerHost } from './server-host';
import type { SettingsFileEvents } from './settings-file';
import { ElectronSettingsStore, type KeyValueStore } from './settings-store';
import { SystemProxy } from './system-proxy';
import { createTray, type TrayController } from './tray';
import { shellTextFor } from './tray-i18n';
import type { TrayActions } from './tray-menu';
import { fallbackSecrets, unreadableSecretsReason } from './unreadable-secrets';
import { createMainWindow, type MainWindow } from './windows';

export type CreateAdmin = (core: GatewayCore, host: AdminHost) => AdminApi;

export interface DesktopDeps {
  createAdmin: CreateAdmin;
  /** Default: electron-store in userData. Tests pass a conf store in a temp folder. */
  openStore?: (events: SettingsFileEvents) => Promise<KeyValueStore>;
  /** `VITE_DEV_SERVER_URL` (read by index.ts, the only reader of process.env here). */
  devServerUrl?: string;
  /** The file the user started (launch-at-login.ts `launchExecutable`); default execPath. */
  executable?: string;
  argv?: readonly string[];
  platform?: NodeJS.Platform;
  /** Echo the log to stdout (default: when not packaged, i.e. under `npm start`). */
  consoleLog?: boolean;
  /** How long Quit waits for the graceful shutdown before quitting anyway (default 15 s). */
  quitTimeoutMs?: number;
}

export interface DesktopApp {
  core: GatewayCore;
  host: ServerHost;
  settings: ElectronSettingsStore;
  window: MainWindow;
  tray: TrayController;
  /** What Quit does: listener closed gracefully, core closed, tray removed. */
  shutdown(): Promise<void>;
}

/**
 * electron-builder.yml `appId`. On Windows it must also be the process's AppUserModelID: the NSIS
 * installer gives the Start-menu shortcut this ID, and Windows shows toast notifications only for an
 * ID a shortcut carries (Electron's default, "electron.app.Gemgate", has none). It also names the
 * launch-at-login Run entry.
 */
export const APP_ID = 'dev.gemgate.app';

/** Longer than the listener's 10 s grace for open requests, so a normal Quit always finishes. */
const QUIT_TIMEOUT_MS = 15_000;

const defaultOpenStore = async (events: SettingsFileEvents) =>
  (await import('./open-store')).openElectronStore(events);

/** Returns null when another instance already runs (it is asked to show its window instead). */
export async function startDesktopApp(deps: DesktopDeps): Promise<DesktopApp | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const platform = deps.platform ?? process.platform;
  const argv = deps.argv ?? process.argv;
  // Packaged only: a development run must not take over the installed app's login item.
  if (platform === 'win32' && app.isPackaged) app.setAppUserModelId(APP_ID);
  let showWindow: (() => void) | null = null;
  let showRequested = false;
  // A second launch (double-click on the icon, the Start menu…) means "show me the app".
  app.on('second-instance', () => {
    if (showWindow) showWindow();
    else showRequested = true;
  });
  // Closing the window keeps the gateway running in the tray: quitting is an explicit choice.
  app.on('window-all-closed', () => undefined);
  app.enableSandbox();
  await app.whenReady();

  const userData = app.getPath('userData');
  const migrations: string[] = [];
  const setAside: string[] = [];
  const store = await (deps.openStore ?? defaultOpenStore)({
    onMigration: (from, to) => migrations.push(`${from} → ${to}`),
    onSetAside: (damaged, keptAs) =>
      setAside.push(
        `The settings file ${damaged} was damaged and could not be read; it was kept as ${keptAs}, and Gemgate started with the default settings.`,
      ),
  });
  const secrets = createSecretCodec(safeStorage);
  const settings = new ElectronSettingsStore({ store, secrets, baseDir: userData, mode: 'tray' });
  mkdirSync(settings.get().dataDir, { recursive: true });

  // While OUTBOUND_PROXY is empty, calls to Gemini and xAI take the system proxy, as Electron does.
  const systemProxy = new SystemProxy({
    settings,
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
  });
  const core = createGatewayCore({ settings, version: VERSION, systemProxy: systemProxy.proxyFor });
  if (deps.consoleLog ?? !app.isPackaged) {
    const toConsole = (entry: LogEntry) => process.stdout.write(formatLogLine(entry));
    // Building the core may already have logged (a misconfigured image store): print that first.
    for (const entry of core.log.recent()) toConsole(entry);
    core.log.subscribe(toConsole);
  }
  for (const warning of setAside) core.log.warn(warning);
  for (const step of migrations) core.log.info(`Settings file migrated (format ${step}).`);
  // Load problems and the secret-storage warning reach the window's log view (and the console).
  for (const warning of settings.warnings) core.log.warn(warning);
  if (secrets.warning) core.log.warn(`!!! ${secrets.warning} !!!`);
  core.log.info(`Settings in ${store.path}; data in ${settings.get().dataDir}`);
  settings.subscribe((next, previous) => {
    if (next.dataDir !== previous.dataDir) {
      core.log.warn('The new data folder is used from the next start of Gemgate.');
    }
  });

  const appPath = app.getAppPath();
  const rendererDir = join(appPath, 'dist', 'renderer');
  const adminHost: AdminHost = {
    mode: 'tray',
    status: () => {
      const { listening, listenError, listenProblem } = host.status();
      return { listening, listenError, ...(listenProblem ? { listenProblem } : {}) };
    },
    settings,
    // Without an OS keychain the secrets sit in plain text: the dashboard says so, not only the log.
    warnings: () => (secrets.warning ? ['secrets_unencrypted'] : []),
    // Read on every status: saving a new value takes a setting off the list.
    unreadableSecrets: () => fallbackSecrets(settings.unreadableKeys()),
  };
  // The web admin at /admin is the window's tray admin (mode, listener, warnings, settings), with the
  // page packaged with the app rather than one under the working directory. Only gallery links
  // differ: they take each request's origin, as a browser on another computer cannot open
  // 127.0.0.1 (the window's default, AdminHost.imageOrigin).
  const httpAdminHost: AdminHost = { ...adminHost, imageOrigin: () => null };
  const host = createServerHost({
    core,
    createServer: (c) => createServer(c, { adminHost: httpAdminHost, rendererDir }),
    // A password that cannot be decrypted would leave the gateway open with a known default.
    startBlocker: () => unreadableSecretsReason(settings.unreadableKeys()),
  });
  const admin = deps.createAdmin(core, adminHost);
  const launch = createLaunchAtLogin({
    app,
    platform,
    executable: deps.executable ?? process.execPath,
    configHome: app.getPath('appData'),
  });
  const text = shellTextFor(app.getLocale());
  const iconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(appPath, 'build', 'tray');

  let quitting = false;
  const window = createMainWindow({
    rendererFile: join(rendererDir, 'index.html'),
    preloadFile: join(appPath, 'dist', 'preload', 'preload.cjs'),
    ...(deps.devServerUrl ? { devServerUrl: deps.devServerUrl } : {}),
    iconFile: join(iconDir, 'window-icon.png'),
    store,
    platform,
    isQuitting: () => quitting,
    onPageGone: (reason) => core.log.warn(`The window's page stopped (${reason}); reloading it.`),
  });

  const desktop = createDesktopApi({
    host,
    settings,
    launch,
    onLaunchAtLoginChanged: () => refreshTray(),
  });
  const offIpc = registerIpc({
    ipcMain,
    admin,
    desktop,
    sender: {
      window: () => window.webContents(),
      rendererUrl: window.rendererUrl,
      ...(deps.devServerUrl ? { devServerUrl: deps.devServerUrl } : {}),
    },
    log: core.log,
  });
  const offLogPush = core.log.subscribe((entry) => window.send(IPC_LOG_CHANNEL, entry));

  // Electron 45's clipboard is asynchronous (modelled on navigator.clipboard).
  const copy = (text: string) =>
    void clipboard.writeText(text).catch((err: unknown) => core.log.warn(`Copy failed: ${String(err)}`));
  const actions: TrayActions = {
    copyBaseUrl() {
      const listening = host.status().listening;
      if (listening) copy(listening.baseUrl);
    },
    copyPassword: () => copy(settings.get().password),
    openPage: (page) => window.show(page),
    startServer: () => void host.start(),
    stopServer: () => void host.stop(),
    setLaunchAtLogin(enabled) {
      try {
        launch.set(enabled);
      } catch (err) {
        core.log.error(
          `Could not change "launch at login": ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      refreshTray();
    },
    quit: () => app.quit(),
  };
  const tray = createTray({ iconDir, platform, text, actions, onClick: () => window.show() });
  const refreshTray = () => tray.update({ ...host.status(), launchAtLogin: launch.get() });
  host.onChange(refreshTray);
  refreshTray();

  const notify = (title: string, body: string) => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  };
  const offNotify = watchForNotifications({ core, host, text, notify });
  // Launched at login, the window stays closed: the dashboard's `secrets_unreadable` would go unseen.
  const fallenBack = fallbackSecrets(settings.unreadableKeys());
  if (fallenBack.length > 0) {
    notify(text.notifySecretsUnreadableTitle, text.notifySecretsUnreadableBody(fallenBack));
  }

  showWindow = () => window.show();
  app.on('activate', () => window.show()); // macOS: a click on the Dock icon
  if (showRequested || !launch.launchedAtLogin(argv)) window.show();

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = () =>
    (shutdownPromise ??= (async () => {
      quitting = true;
      systemProxy.stop();
      offNotify();
      offIpc();
      offLogPush();
      await host.close();
      await core.close();
      tray.destroy();
    })());

  // Electron would quit at once; first let open requests finish and flush the core's state — but
  // never hold Quit forever: a close that hangs (the core's upstream clients wait for calls still in
  // flight) gives way after quitTimeoutMs, and the app quits anyway.
  let shutdownDone = false;
  let quitRequested = false;
  let quitTimer: NodeJS.Timeout | undefined;
  const quitNow = () => {
    if (shutdownDone) return;
    shutdownDone = true;
    clearTimeout(quitTimer);
    app.quit();
  };
  app.on('before-quit', (event) => {
    quitting = true;
    if (shutdownDone) return;
    event.preventDefault();
    if (quitRequested) return; // a second Quit while the first one is under way
    quitRequested = true;
    const timeoutMs = deps.quitTimeoutMs ?? QUIT_TIMEOUT_MS;
    quitTimer = setTimeout(() => {
      process.stderr.write(`Shutdown still running after ${timeoutMs} ms; quitting anyway.\n`);
      quitNow();
    }, timeoutMs);
    void shutdown()
      .catch((err: unknown) => process.stderr.write(`Shutdown failed: ${String(err)}\n`))
      .finally(quitNow);
  });

  // The start-up key check and the first requests should already take the system's route.
  await systemProxy.start({ log: core.log, onChange: () => core.models.invalidate() });
  // Quit chosen during that wait (up to 3 s) has already closed the host and the core: a listener
  // opened now would outlive the shutdown.
  if (shutdownPromise === undefined) await host.start();
  return { core, host, settings, window, tray, shutdown };
}
