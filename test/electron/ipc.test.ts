/**
 * The IPC transport of the admin contract: handlers registered for every method, generic over any
 * AdminApi object (here a fake one); payloads checked with the contract's zod schemas; callers that
 * are not our window showing our page refused; errors returned as {status, code, message}.
 * Then the preload side: the bridge it exposes and how it unwraps answers.
 */
import { pathToFileURL } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminApi } from '../../shared/admin-contract';
import {
  ADMIN_HTTP,
  IPC_LOG_CHANNEL,
  desktopChannelOf,
  ipcChannelOf,
  type DesktopApi,
} from '../../shared/admin-transport';
import { ApiError } from '../../main/server/errors';
import { registerIpc, type IpcEnvelope } from '../../main/electron/ipc';

vi.mock('electron', () => import('./fake-electron'));
const { fake, BrowserWindow, ipcMain, ipcRenderer } = await import('./fake-electron');

const RENDERER_FILE = '/opt/Gemgate/resources/app.asar/dist/renderer/index.html';
const RENDERER_URL = pathToFileURL(RENDERER_FILE).href;

const calls: unknown[][] = [];
const fakeAdmin = new Proxy({} as AdminApi, {
  get:
    (_t, method: string) =>
    async (...args: unknown[]) => {
      calls.push([method, ...args]);
      if (method === 'revokeAccessKey')
        throw new ApiError('not_found', `No access key with id '${String(args[0])}'.`);
      if (method === 'clearLogs') throw new Error('disk on fire at /secret/path');
      return { method, args };
    },
});
const fakeDesktop: DesktopApi = {
  startServer: async () => void calls.push(['startServer']),
  stopServer: async () => void calls.push(['stopServer']),
  openImageFolder: async () => undefined,
  openExternal: async (url) => void calls.push(['openExternal', url]),
  getLaunchAtLogin: async () => true,
  setLaunchAtLogin: async (on) => void calls.push(['setLaunchAtLogin', on]),
};

let win: InstanceType<typeof BrowserWindow>;
/** What the sender check sees as our window's webContents (null: no window). */
let ourContents: unknown;
const logs: string[] = [];
let unregister: () => void;

const event = (overrides: { sender?: unknown; url?: string; parent?: unknown; frame?: null } = {}) => ({
  sender: overrides.sender ?? win.webContents,
  senderFrame:
    overrides.frame === null
      ? null
      : { url: overrides.url ?? `${RENDERER_URL}#/settings`, parent: overrides.parent ?? null },
});
const invoke = async (channel: string, args: unknown[], ev = event()): Promise<IpcEnvelope> => {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(ev, ...args)) as IpcEnvelope;
};

beforeEach(() => {
  fake.reset();
  calls.length = 0;
  logs.length = 0;
  win = new BrowserWindow({});
  ourContents = win.webContents;
  unregister = registerIpc({
    ipcMain: ipcMain as never,
    admin: fakeAdmin,
    desktop: fakeDesktop,
    sender: {
      window: () => ourContents as never,
      rendererUrl: RENDERER_URL,
      devServerUrl: 'http://localhost:5173',
    },
    log: { warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) },
  });
});

describe('IPC handlers', () => {
  it('registers one channel per admin and desktop method, and removes them again', () => {
    for (const method of Object.keys(ADMIN_HTTP))
      expect(fake.handlers.has(ipcChannelOf(method as never))).toBe(true);
    for (const method of Object.keys(fakeDesktop))
      expect(fake.handlers.has(desktopChannelOf(method as never))).toBe(true);
    unregister();
    expect(fake.handlers.size).toBe(0);
  });

  it('passes valid calls through, with defaults from the contract schemas', async () => {
    expect(await invoke(ipcChannelOf('updateSettings'), [{ port: 7861 }])).toEqual({
      ok: true,
      value: { method: 'updateSettings', args: [{ port: 7861 }] },
    });
    await invoke(ipcChannelOf('listImages'), [{}]);
    await invoke(ipcChannelOf('checkKeys'), []);
    await invoke(ipcChannelOf('setKeyEnabled'), ['k1', false]);
    await invoke(desktopChannelOf('openExternal'), ['https://ai.google.dev/']);
    expect(calls).toEqual([
      ['updateSettings', { port: 7861 }],
      ['listImages', { offset: 0, limit: 50 }],
      ['checkKeys'],
      ['setKeyEnabled', 'k1', false],
      ['openExternal', 'https://ai.google.dev/'],
    ]);
  });

  it.each([
    ['updateSettings', [{ notASetting: 1 }]],
    ['updateSettings', ['port=1']],
    ['revealSecret', ['../../etc/passwd']],
    ['setKeyEnabled', ['k1', 'yes']],
    ['getUsage', ['1y']],
    ['getStatus', ['unexpected']],
    ['addKeys', ['x'.repeat(200_001)]],
    ['createAccessKey', [{ name: '' }]],
    ['listImages', [{ limit: 10_000 }]],
    ['deleteImages', [[1, 2]]],
  ])('rejects a bad payload for %s without calling the service', async (method, args) => {
    const reply = await invoke(ipcChannelOf(method as never), args);
    expect(reply).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_request' } });
    expect(calls).toEqual([]);
  });

  it.each([['file:///etc/passwd'], ['javascript:alert(1)'], ['not a url']])(
    'refuses to open %s externally',
    async (url) => {
      expect(await invoke(desktopChannelOf('openExternal'), [url])).toMatchObject({
        ok: false,
        error: { status: 400 },
      });
      expect(calls).toEqual([]);
    },
  );

  it.each([
    ['another webContents', () => event({ sender: new BrowserWindow({}).webContents })],
    ['another page in our window', () => event({ url: 'https://evil.example/' })],
    ['another local file', () => event({ url: 'file:///tmp/evil.html' })],
    ['an iframe of our own page', () => event({ parent: { url: RENDERER_URL } })],
    ['a frame that is gone', () => event({ frame: null })],
  ])('refuses %s', async (_name, ev) => {
    await expect(invoke(ipcChannelOf('getSettings'), [], ev())).rejects.toThrow('Forbidden');
    expect(calls).toEqual([]);
    expect(logs[0]).toMatch(/^warn IPC gemgate:admin:getSettings refused/);
  });

  it('Windows: a drive letter Chromium wrote in upper case is still our page; other files are not', async () => {
    unregister();
    // What pathToFileURL gives for Gemgate started as c:\Program Files\Gemgate\Gemgate.exe.
    const lowerCase = 'file:///c:/Program%20Files/Gemgate/resources/app.asar/dist/renderer/index.html';
    unregister = registerIpc({
      ipcMain: ipcMain as never,
      admin: fakeAdmin,
      desktop: fakeDesktop,
      sender: { window: () => win.webContents as never, rendererUrl: lowerCase },
      log: { warn: (m: string) => logs.push(`warn ${m}`), error: () => undefined },
    });
    const fromChromium = lowerCase.replace('file:///c:', 'file:///C:');
    expect(
      await invoke(ipcChannelOf('getStatus'), [], event({ url: `${fromChromium}#/logs` })),
    ).toMatchObject({
      ok: true,
    });
    expect(await invoke(ipcChannelOf('getStatus'), [], event({ url: lowerCase }))).toMatchObject({
      ok: true,
    });
    for (const url of [
      'file:///C:/Program%20Files/Gemgate/resources/app.asar/dist/renderer/evil.html',
      'file:///D:/Program%20Files/Gemgate/resources/app.asar/dist/renderer/index.html',
      'file://attacker/c:/Program%20Files/Gemgate/resources/app.asar/dist/renderer/index.html',
    ]) {
      await expect(invoke(ipcChannelOf('getStatus'), [], event({ url }))).rejects.toThrow('Forbidden');
    }
    expect(calls).toEqual([['getStatus'], ['getStatus']]);
  });

  it('refuses everyone once our window is gone', async () => {
    ourContents = null;
    await expect(invoke(ipcChannelOf('getStatus'), [])).rejects.toThrow('Forbidden');
    expect(calls).toEqual([]);
  });

  it('accepts the dev server page in development', async () => {
    const reply = await invoke(ipcChannelOf('getStatus'), [], event({ url: 'http://localhost:5173/#/logs' }));
    expect(reply.ok).toBe(true);
  });

  it('returns service errors with their status and code; internal details stay in the log', async () => {
    expect(await invoke(ipcChannelOf('revokeAccessKey'), ['nope'])).toEqual({
      ok: false,
      error: { status: 404, code: 'not_found', message: "No access key with id 'nope'." },
    });
    const internal = await invoke(ipcChannelOf('clearLogs'), []);
    expect(internal).toMatchObject({ ok: false, error: { status: 500, code: 'internal_error' } });
    expect(JSON.stringify(internal)).not.toContain('/secret/path');
    expect(logs.join('\n')).toContain('disk on fire');
  });

  it('answers "not available" for a method the service does not implement (yet)', async () => {
    unregister();
    registerIpc({
      ipcMain: ipcMain as never,
      admin: {} as AdminApi,
      desktop: fakeDesktop,
      sender: { window: () => win.webContents as never, rendererUrl: RENDERER_URL },
      log: { warn: () => undefined, error: () => undefined },
    });
    expect(await invoke(ipcChannelOf('getStatus'), [])).toMatchObject({
      ok: false,
      error: { status: 404, message: "'getStatus' is not available in this version." },
    });
  });
});

describe('preload bridge', () => {
  type Bridge = {
    admin: Record<string, (...a: unknown[]) => Promise<unknown>>;
    desktop: Record<string, (...a: unknown[]) => Promise<unknown>>;
    onLog: (l: (e: unknown) => void) => () => void;
    mode: string;
  };
  let exposed: Bridge;
  beforeAll(async () => {
    await import('../../main/preload/preload');
    exposed = fake.exposed.gemgate as Bridge;
  });
  const bridge = () => exposed;

  it('exposes exactly { admin, desktop, onLog, mode: "tray" }', () => {
    const api = bridge();
    expect(Object.keys(api).sort()).toEqual(['admin', 'desktop', 'mode', 'onLog']);
    expect(api.mode).toBe('tray');
    expect(Object.keys(api.admin).sort()).toEqual(Object.keys(ADMIN_HTTP).sort());
    expect(Object.keys(api.desktop).sort()).toEqual(Object.keys(fakeDesktop).sort());
  });

  it('invokes the method channel with the arguments and unwraps the value', async () => {
    fake.invokeReply = (channel, args) => ({ ok: true, value: { channel, args } });
    expect(await bridge().admin.setKeyEnabled!('k1', true)).toEqual({
      channel: 'gemgate:admin:setKeyEnabled',
      args: ['k1', true],
    });
    await bridge().desktop.setLaunchAtLogin!(false);
    expect(fake.invoked.map((i) => i.channel)).toEqual([
      'gemgate:admin:setKeyEnabled',
      'gemgate:desktop:setLaunchAtLogin',
    ]);
  });

  it('throws an Error whose message carries status, code and message as JSON', async () => {
    fake.invokeReply = () => ({
      ok: false,
      error: { status: 400, code: 'invalid_request', message: "Invalid value for 'port'" },
    });
    const err = await bridge().admin.updateSettings!({ port: -1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.parse((err as Error).message)).toEqual({
      status: 400,
      code: 'invalid_request',
      message: "Invalid value for 'port'",
    });
  });

  it('delivers log entries without the IPC event, and unsubscribes', async () => {
    const seen: unknown[] = [];
    const off = bridge().onLog((entry) => seen.push(entry));
    ipcRenderer.emitFromMain(IPC_LOG_CHANNEL, { id: 1, message: 'hello' });
    off();
    ipcRenderer.emitFromMain(IPC_LOG_CHANNEL, { id: 2, message: 'gone' });
    expect(seen).toEqual([{ id: 1, message: 'hello' }]);
    expect(ipcRenderer.listenerCount(IPC_LOG_CHANNEL)).toBe(0);
  });
});
