/**
 * A stand-in for the `electron` module (no Electron binary can run here, and importing the real
 * package under Node tries to download one). Test files install it with
 *   vi.mock('electron', () => import('./fake-electron'));
 * and inspect `fake`: tray menus and icons, windows and their webContents, IPC handlers, exposed
 * bridges, notifications, clipboard, opened URLs, app events and the system proxy the default session
 * resolves. Only what the shell uses exists.
 */
import { EventEmitter } from 'node:events';

export interface FakeMenuItem {
  id?: string;
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: (item: { checked: boolean }, win?: unknown, event?: unknown) => void;
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

interface FakeLoginItem {
  openAtLogin: boolean;
  path?: string;
  args?: string[];
  enabled?: boolean;
}

class FakeWebContents extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  readonly scripts: string[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  permissionHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null;
  destroyed = false;
  loading = false;
  readonly session = {
    setPermissionRequestHandler: (h: FakeWebContents['permissionHandler']) => {
      this.permissionHandler = h;
    },
  };
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']) {
    this.windowOpenHandler = handler;
  }
  executeJavaScript(code: string) {
    this.scripts.push(code);
    return Promise.resolve();
  }
  isLoading() {
    return this.loading;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Emits a cancellable event the way Electron does (event first); returns whether it was blocked. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  loaded: { file?: string; url?: string; hash?: string } = {};
  calls: string[] = [];
  /** removeMenu() (Linux, Windows): no menu bar, not even the default one. */
  menuRemoved = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    fake.windows.push(this);
  }
  loadFile(file: string, opts: { hash?: string } = {}) {
    this.loaded = { file, ...(opts.hash ? { hash: opts.hash } : {}) };
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.loaded = { url };
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  removeMenu() {
    this.menuRemoved = true;
  }
  show() {
    this.calls.push('show');
    this.visible = true;
  }
  hide() {
    this.calls.push('hide');
    this.visible = false;
    this.focused = false;
  }
  focus() {
    this.calls.push('focus');
    this.focused = true;
  }
  restore() {
    this.calls.push('restore');
    this.minimized = false;
  }
  minimize() {
    this.minimized = true;
  }
  isMinimized() {
    return this.minimized;
  }
  /** Like Electron: it also shows a hidden window. */
  maximize() {
    this.calls.push('maximize');
    this.maximized = true;
    this.visible = true;
  }
  isMaximized() {
    return this.maximized;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** What a click on the close button does: 'close' (cancellable), then 'closed' unless cancelled. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class Tray extends EventEmitter {
  image: FakeImage;
  tooltip = '';
  menu: FakeMenuItem[] = [];
  destroyed = false;
  constructor(image: FakeImage) {
    super();
    this.image = image;
    fake.trays.push(this);
  }
  setImage(image: FakeImage) {
    this.image = image;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: { items: FakeMenuItem[] }) {
    this.menu = menu.items;
  }
  destroy() {
    this.destroyed = true;
  }
  /** The menu item with this id (throws when missing, so a test names what it expected). */
  item(id: string): FakeMenuItem {
    const found = this.menu.find((i) => i.id === id);
    if (!found) throw new Error(`No tray menu item '${id}'`);
    return found;
  }
}

export const Menu = {
  buildFromTemplate: (items: FakeMenuItem[]) => ({ items }),
};

export interface FakeImage {
  path: string;
  template: boolean;
  setTemplateImage(on: boolean): void;
}
export const nativeImage = {
  createFromPath: (path: string): FakeImage => ({
    path,
    template: false,
    setTemplateImage(on: boolean) {
      this.template = on;
    },
  }),
};

export class Notification {
  static isSupported() {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {}
  show() {
    fake.notifications.push(this.options);
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  quitted = false;
  exitCode: number | null = null;
  sandboxed = false;
  requestSingleInstanceLock() {
    return fake.singleInstanceLock;
  }
  whenReady() {
    return Promise.resolve();
  }
  enableSandbox() {
    this.sandboxed = true;
  }
  focus(options?: { steal: boolean }) {
    fake.appFocusCalls.push(options);
  }
  /** Like Electron: 'before-quit' may cancel; otherwise the app quits. */
  quit() {
    fake.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitted = true;
  }
  exit(code = 0) {
    this.exitCode = code;
  }
  getPath(name: string) {
    const path = fake.paths[name];
    if (!path) throw new Error(`fake app.getPath('${name}') has no path`);
    return path;
  }
  getAppPath() {
    return fake.appPath;
  }
  getLocale() {
    return fake.locale;
  }
  getVersion() {
    return '0.0.0-test';
  }
  /**
   * Windows semantics (macOS passes no path or args, so they match trivially): `openAtLogin` is true
   * when the Run entry holds exactly this path (default: execPath) and these arguments, whether or
   * not the user switched it off in Task Manager; `executableWillLaunchAtLogin` ignores the arguments
   * and is false when it was switched off there.
   */
  getLoginItemSettings(options?: { path?: string; args?: string[] }) {
    fake.loginItemQueries.push(options);
    const item = fake.loginItem;
    const registered = item.openAtLogin && (options?.path ?? fake.execPath) === (item.path ?? fake.execPath);
    const sameArgs = JSON.stringify(options?.args ?? []) === JSON.stringify(item.args ?? []);
    return {
      openAtLogin: registered && sameArgs,
      wasOpenedAtLogin: false,
      status: 'not-registered',
      executableWillLaunchAtLogin: registered && fake.loginItemApproved,
      launchItems: [],
    };
  }
  /** `enabled` (default true) is the Task Manager state the entry is written with. */
  setLoginItemSettings(settings: FakeLoginItem) {
    fake.loginItem = settings;
    fake.loginItemApproved = settings.enabled ?? true;
  }
  setAppUserModelId(id: string) {
    fake.appUserModelId = id;
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handle(channel: string, handler: Handler) {
    if (fake.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    fake.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    fake.handlers.delete(channel);
  },
  on(channel: string, listener: (...a: unknown[]) => void) {
    fake.mainListeners.set(channel, listener);
  },
  removeAllListeners(channel: string) {
    fake.removedListeners.push(channel);
    fake.mainListeners.delete(channel);
  },
};

const rendererEvents = new EventEmitter();
export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    fake.invoked.push({ channel, args });
    return Promise.resolve(fake.invokeReply(channel, args));
  },
  on(channel: string, listener: (...a: unknown[]) => void) {
    rendererEvents.on(channel, listener);
  },
  removeListener(channel: string, listener: (...a: unknown[]) => void) {
    rendererEvents.removeListener(channel, listener);
  },
  /** Test helper: what main's webContents.send would deliver. */
  emitFromMain(channel: string, payload: unknown) {
    rendererEvents.emit(channel, { sender: 'ipc-event' }, payload);
  },
  listenerCount: (channel: string) => rendererEvents.listenerCount(channel),
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    fake.exposed[key] = api;
  },
};

/** Reversible and obviously not the plain text (the real one is OS-keyring AES). */
export const safeStorage = {
  isEncryptionAvailable: () => fake.encryptionAvailable,
  encryptString: (plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('hex')}`),
  decryptString: (cipher: Buffer) => {
    const text = cipher.toString();
    if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided');
    return Buffer.from(text.slice(4), 'hex').toString();
  },
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

export const clipboard = {
  writeText(text: string) {
    fake.clipboard = text;
    return Promise.resolve();
  },
};

export const shell = {
  openExternal(url: string) {
    fake.openedExternal.push(url);
    return Promise.resolve();
  },
  openPath(path: string) {
    fake.openedPaths.push(path);
    return Promise.resolve('');
  },
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

/**
 * Only `resolveProxy`, answered by `fake.proxyAnswer` (Chromium's PAC-style list) and recorded. Like
 * Electron it never rejects: a failed lookup (`proxyAnswer` throws or rejects) resolves with ''. An
 * answer that never settles stays a hang.
 */
export const session = {
  defaultSession: {
    resolveProxy(url: string): Promise<string> {
      fake.proxyQueries.push(url);
      return Promise.resolve()
        .then(() => fake.proxyAnswer(url))
        .catch(() => '');
    },
  },
};

export const dialog = {
  showErrorBox(title: string, content: string) {
    fake.errorBoxes.push({ title, content });
  },
};

const initialState = () => ({
  singleInstanceLock: true,
  encryptionAvailable: true,
  locale: 'en-US',
  appPath: '/app',
  paths: {} as Record<string, string>,
  trays: [] as Tray[],
  windows: [] as BrowserWindow[],
  notifications: [] as { title: string; body: string }[],
  handlers: new Map<string, Handler>(),
  removedListeners: [] as string[],
  mainListeners: new Map<string, (...a: unknown[]) => void>(),
  exposed: {} as Record<string, unknown>,
  invoked: [] as { channel: string; args: unknown[] }[],
  invokeReply: (_channel: string, _args: unknown[]): unknown => ({ ok: true, value: null }),
  clipboard: '',
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  errorBoxes: [] as { title: string; content: string }[],
  execPath: '/opt/electron/electron',
  loginItem: { openAtLogin: false } as FakeLoginItem,
  /** False: the user switched the entry off in Task Manager's Startup tab (Windows). */
  loginItemApproved: true,
  loginItemQueries: [] as unknown[],
  appUserModelId: null as string | null,
  quitCalls: 0,
  /** app.focus() calls, with their options (`steal` is macOS-only). */
  appFocusCalls: [] as ({ steal: boolean } | undefined)[],
  /**
   * What session.defaultSession.resolveProxy answers: no proxy configured on this system. Throw to
   * fail the lookup (the answer is then ''), or return a promise that never settles for a hang.
   */
  proxyAnswer: (_url: string): Promise<string> => Promise.resolve('DIRECT'),
  proxyQueries: [] as string[],
});

export const fake = {
  ...initialState(),
  reset() {
    Object.assign(fake, initialState());
    app.removeAllListeners();
    app.quitted = false;
    app.exitCode = null;
    app.isPackaged = false;
    rendererEvents.removeAllListeners();
  },
};
