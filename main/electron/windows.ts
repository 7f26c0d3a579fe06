/**
 * The settings window. Locked down (DESIGN §10): context isolation, sandbox, no Node in the page,
 * only the preload bridge; it shows our own page and nothing else — navigation away is blocked and
 * http(s) links open in the user's browser. Closing it hides it: the gateway keeps running in the
 * tray, and the page is still there (with its state) when the user comes back.
 */
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, screen, shell, type WebContents } from 'electron';
import { externalUrlSchema } from './ipc-schemas';
import type { KeyValueStore } from './settings-store';
import { WINDOW_STATE_KEY } from './settings-migrations';
import type { TrayPage } from './tray-menu';
import { restoreWindowState, type WindowState } from './window-state';

export interface MainWindowOptions {
  /** dist/renderer/index.html inside the app. */
  rendererFile: string;
  preloadFile: string;
  /** `VITE_DEV_SERVER_URL` in development: the page comes from vite instead of the file. */
  devServerUrl?: string;
  /** The window/taskbar icon (Linux and Windows; macOS uses the bundle icon). */
  iconFile?: string;
  /** Where the window state is remembered (the settings file). */
  store: KeyValueStore;
  /** Default: process.platform. */
  platform?: NodeJS.Platform;
  isQuitting(): boolean;
  /** Told when the page's process died (crash, out of memory, killed) before it is reloaded. */
  onPageGone?(reason: string): void;
}

export interface MainWindow {
  /** Creates the window if needed, brings it to the front, optionally on a page. */
  show(page?: TrayPage): BrowserWindow;
  /** The window's webContents, or null when there is no (live) window. */
  webContents(): WebContents | null;
  /** The URL of our page (file:// or the dev server): the only one allowed to use IPC. */
  readonly rendererUrl: string;
  /** Sends to the page if it exists and is alive (log entries, pushed as they happen). */
  send(channel: string, payload: unknown): void;
  destroy(): void;
}

/** Page routes of the renderer (hash routing, so the file:// page needs no server). */
export const PAGE_HASH: Record<TrayPage, string> = {
  dashboard: '/dashboard',
  logs: '/logs',
  gallery: '/gallery',
};

const openIfWeb = (url: string) => {
  if (externalUrlSchema.safeParse(url).success) void shell.openExternal(url);
};

export function createMainWindow(options: MainWindowOptions): MainWindow {
  const rendererUrl = options.devServerUrl ?? pathToFileURL(options.rendererFile).href;
  let win: BrowserWindow | null = null;
  let saveTimer: NodeJS.Timeout | undefined;

  const saveState = () => {
    if (!win || win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: win.isMaximized() };
    options.store.set(WINDOW_STATE_KEY, state);
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveState, 500);
  };

  // A tray app is rarely the active app on macOS: without this the window opens behind the one in
  // front. The user asked for it (tray menu, a second launch), so taking the focus is right.
  const bringAppForward = () => {
    if ((options.platform ?? process.platform) === 'darwin') app.focus({ steal: true });
  };

  // The exact URL the IPC sender check compares with (ipc.ts). loadFile would build its own file URL,
  // which leaves a `%` in the install path unescaped where pathToFileURL writes `%25`: every IPC call
  // from an install folder such as "Gem 100%" would then be refused.
  const load = (target: BrowserWindow, page?: TrayPage) => {
    const hash = page ? PAGE_HASH[page] : undefined;
    void target.loadURL(hash ? `${rendererUrl}#${hash}` : rendererUrl);
  };

  const create = (page?: TrayPage): BrowserWindow => {
    const state = restoreWindowState(
      options.store.get(WINDOW_STATE_KEY),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const created = new BrowserWindow({
      width: state.width,
      height: state.height,
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      minWidth: 760,
      minHeight: 520,
      show: false,
      title: 'Gemgate',
      ...(options.iconFile ? { icon: options.iconFile } : {}),
      webPreferences: {
        preload: options.preloadFile,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    // Windows and Linux would show Electron's default menu bar in the window (File, Edit, View with
    // Reload and DevTools, Help linking to electronjs.org); the page has its own navigation. Text
    // fields keep Ctrl+C/V/X/A/Z without it. macOS keeps its app menu: Cmd+C/V/Q go through it. The
    // dev server run keeps the menu for DevTools.
    if ((options.platform ?? process.platform) !== 'darwin' && !options.devServerUrl) created.removeMenu();
    const contents = created.webContents;

    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      openIfWeb(url);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openIfWeb(url);
      return { action: 'deny' };
    });
    // The page may copy to the clipboard (the API base URL, a new access key); nothing else.
    contents.session.setPermissionRequestHandler((_wc, permission, callback) =>
      callback(permission === 'clipboard-sanitized-write'),
    );

    // A crashed or killed page would stay blank until the app restarts: load it again. A clean exit
    // (the window being destroyed) needs nothing.
    contents.on('render-process-gone', (_event, details) => {
      if (details.reason === 'clean-exit' || created.isDestroyed()) return;
      options.onPageGone?.(details.reason);
      load(created);
    });

    created.once('ready-to-show', () => {
      // Not earlier: maximize() also shows the window, which would flash blank before the first paint.
      if (state.maximized) created.maximize();
      created.show();
      bringAppForward();
    });
    created.on('resize', saveSoon);
    created.on('move', saveSoon);
    created.on('close', (event) => {
      clearTimeout(saveTimer);
      saveState();
      if (options.isQuitting()) return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    load(created, page);
    return created;
  };

  return {
    rendererUrl,
    show(page) {
      if (!win || win.isDestroyed()) {
        win = create(page);
        return win;
      }
      if (page) {
        // Already loaded: switch the route in place, keeping the page's state.
        if (win.webContents.isLoading()) load(win, page);
        else void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(PAGE_HASH[page])}`);
      }
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      bringAppForward();
      return win;
    },
    webContents: () => (win && !win.isDestroyed() ? win.webContents : null),
    send(channel, payload) {
      if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel, payload);
    },
    destroy() {
      clearTimeout(saveTimer);
      if (win && !win.isDestroyed()) win.destroy();
      win = null;
    },
  };
}
