/**
 * The settings window: locked-down preferences, navigation and new windows blocked (web links go to
 * the browser), close hides unless quitting, pages reached from the tray, window state remembered.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyValueStore } from '../../main/electron/settings-store';
import { DEFAULT_WINDOW_STATE, restoreWindowState } from '../../main/electron/window-state';

vi.mock('electron', () => import('./fake-electron'));
const { fake } = await import('./fake-electron');
const { createMainWindow } = await import('../../main/electron/windows');

const memoryStore = (
  initial: Record<string, unknown> = {},
): KeyValueStore & { data: Record<string, unknown> } => {
  const data = { ...initial };
  return { data, get: (k) => data[k], set: (k, v) => void (data[k] = v), path: '/memory' };
};

let quitting = false;
const make = (store = memoryStore(), devServerUrl?: string, platform: NodeJS.Platform = 'linux') =>
  createMainWindow({
    rendererFile: '/app/dist/renderer/index.html',
    preloadFile: '/app/dist/preload/preload.cjs',
    store,
    platform,
    isQuitting: () => quitting,
    ...(devServerUrl ? { devServerUrl } : {}),
  });

beforeEach(() => {
  fake.reset();
  quitting = false;
});

describe('main window', () => {
  it('is created on demand with the secure preferences and our page', () => {
    const main = make();
    expect(fake.windows).toHaveLength(0);
    expect(main.rendererUrl).toBe('file:///app/dist/renderer/index.html');
    main.show();
    const win = fake.windows[0]!;
    expect(win.options.webPreferences).toEqual({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    });
    // The very URL the IPC sender check trusts (ipc.ts), not one Electron builds from the path.
    expect(win.loaded).toEqual({ url: main.rendererUrl });
  });

  it('an install folder with % or spaces loads the URL the IPC check expects', () => {
    const main = createMainWindow({
      rendererFile: '/opt/Gem 100%/resources/app/dist/renderer/index.html',
      preloadFile: '/opt/Gem 100%/resources/app/dist/preload/preload.cjs',
      store: memoryStore(),
      platform: 'linux',
      isQuitting: () => false,
    });
    expect(main.rendererUrl).toBe('file:///opt/Gem%20100%25/resources/app/dist/renderer/index.html');
    main.show('logs');
    expect(fake.windows[0]!.loaded).toEqual({ url: `${main.rendererUrl}#/logs` });
  });

  it('a crashed page is loaded again and reported; a clean exit is left alone', () => {
    const gone: string[] = [];
    const main = createMainWindow({
      rendererFile: '/app/dist/renderer/index.html',
      preloadFile: '/app/dist/preload/preload.cjs',
      store: memoryStore(),
      platform: 'linux',
      isQuitting: () => false,
      onPageGone: (reason) => gone.push(reason),
    });
    main.show('gallery');
    const win = fake.windows[0]!;
    win.loaded = {};
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(win.loaded).toEqual({});
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(win.loaded).toEqual({ url: main.rendererUrl });
    expect(gone).toEqual(['crashed']);
  });

  it('blocks navigation; http(s) links open in the browser, anything else nowhere', () => {
    make().show();
    const contents = fake.windows[0]!.webContents;
    expect(contents.navigate('https://ai.google.dev/gemini-api/docs')).toBe(true);
    expect(contents.navigate('file:///etc/passwd')).toBe(true);
    expect(contents.navigate('javascript:alert(1)')).toBe(true);
    expect(fake.openedExternal).toEqual(['https://ai.google.dev/gemini-api/docs']);
  });

  it('denies new windows, opening web links externally', () => {
    make().show();
    const handler = fake.windows[0]!.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://x.ai/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'smb://server/share' })).toEqual({ action: 'deny' });
    expect(fake.openedExternal).toEqual(['https://x.ai/']);
  });

  it('grants the page clipboard writes and nothing else', () => {
    make().show();
    const handler = fake.windows[0]!.webContents.permissionHandler!;
    const answer = (permission: string) => {
      let granted: boolean | undefined;
      handler(null, permission, (ok) => (granted = ok));
      return granted;
    };
    expect(answer('clipboard-sanitized-write')).toBe(true);
    expect(answer('media')).toBe(false);
    expect(answer('geolocation')).toBe(false);
  });

  it('hides on close while the app runs, closes for real when quitting', () => {
    const main = make();
    main.show();
    const win = fake.windows[0]!;
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
    quitting = true;
    win.close();
    expect(win.destroyed).toBe(true);
    expect(main.webContents()).toBeNull();
  });

  it('opens a page from the tray: by URL hash on load, in place once loaded', () => {
    const main = make();
    main.show('gallery');
    const win = fake.windows[0]!;
    expect(win.loaded).toEqual({ url: `${main.rendererUrl}#/gallery` });
    main.show('logs');
    expect(win.webContents.scripts).toEqual(['location.hash = "/logs"']);
    expect(fake.windows).toHaveLength(1);
  });

  it.each([
    ['linux', undefined, true],
    ['win32', undefined, true],
    ['darwin', undefined, false], // the app menu carries Cmd+C/V/Q
    ['linux', 'http://localhost:5173', false], // development: DevTools
  ] as const)("%s (dev server %s): Electron's default menu bar removed: %s", (platform, dev, removed) => {
    make(memoryStore(), dev, platform).show();
    expect(fake.windows[0]!.menuRemoved).toBe(removed);
  });

  it.each([
    ['darwin', [{ steal: true }, { steal: true }]],
    ['linux', []],
    ['win32', []],
  ] as const)('%s: opening the window brings the app to the front where needed', async (platform, calls) => {
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick(); // windows of earlier tests finish loading first
    fake.appFocusCalls.length = 0;
    const main = make(memoryStore(), undefined, platform);
    main.show();
    await tick(); // ready-to-show
    main.show('logs');
    expect(fake.appFocusCalls).toEqual(calls);
  });

  it('loads from the dev server in development', () => {
    make(memoryStore(), 'http://localhost:5173').show('logs');
    expect(fake.windows[0]!.loaded).toEqual({ url: 'http://localhost:5173#/logs' });
  });

  it('sends only to a live window', () => {
    const main = make();
    main.send('gemgate:logs', { id: 1 });
    main.show();
    main.send('gemgate:logs', { id: 2 });
    fake.windows[0]!.destroy();
    main.send('gemgate:logs', { id: 3 });
    expect(fake.windows[0]!.webContents.sent).toEqual([{ channel: 'gemgate:logs', payload: { id: 2 } }]);
  });

  it('remembers its size and position', async () => {
    const store = memoryStore({ windowState: { width: 900, height: 650, x: 40, y: 30, maximized: true } });
    const main = make(store);
    main.show();
    const win = fake.windows[0]!;
    expect(win.options).toMatchObject({ width: 900, height: 650, x: 40, y: 30, show: false });
    // Nothing shows before the first paint: maximize() would show the window blank.
    expect(win.calls).toEqual([]);
    expect(win.visible).toBe(false);
    await new Promise((resolve) => setImmediate(resolve)); // ready-to-show
    expect(win.calls).toEqual(['maximize', 'show']);
    expect(win.maximized).toBe(true);
    win.close(); // saved on close (and, debounced, on move/resize)
    expect(store.data.windowState).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });

  it('a window saved unmaximised is shown at ready-to-show without maximising', async () => {
    make(memoryStore({ windowState: { width: 900, height: 650, maximized: false } })).show();
    const win = fake.windows[0]!;
    expect(win.visible).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(win.calls).toEqual(['show']);
    expect(win.maximized).toBe(false);
  });
});

describe('restoreWindowState', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('falls back to the default for garbage', () => {
    expect(restoreWindowState('big', screen)).toEqual(DEFAULT_WINDOW_STATE);
    expect(restoreWindowState({ width: -1, height: 10, maximized: false }, screen)).toEqual(
      DEFAULT_WINDOW_STATE,
    );
  });
  it('drops a position no display shows any more', () => {
    expect(
      restoreWindowState({ width: 800, height: 600, x: 3000, y: 100, maximized: false }, screen),
    ).toEqual({
      width: 800,
      height: 600,
      maximized: false,
    });
    expect(
      restoreWindowState({ width: 800, height: 600, x: 100, y: 100, maximized: false }, screen),
    ).toMatchObject({
      x: 100,
      y: 100,
    });
  });
});
