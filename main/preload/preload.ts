/**
 * The preload bridge (sandboxed: it may require only `electron`, which is why it imports nothing
 * with runtime code besides the channel table). The page gets exactly the typed contract as
 * `window.gemgate = { admin, desktop, onLog, mode: 'tray' }` — never ipcRenderer itself, so the page
 * cannot send to any other channel.
 *
 * Calls go to `ipcRenderer.invoke(channel, ...args)`; the main side answers with an envelope
 * (main/electron/ipc.ts). contextBridge copies only the message of an Error, so a failure is thrown
 * as an Error whose message is the JSON `{status, code, message}` (renderer/lib/api-ipc.ts reads it).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AdminApi } from '../../shared/admin-contract';
import type { LogEntry } from '../../shared/admin-dto';
import {
  ADMIN_HTTP,
  IPC_LOG_CHANNEL,
  desktopChannelOf,
  ipcChannelOf,
  type AdminMethod,
  type DesktopApi,
  type DesktopMethod,
} from '../../shared/admin-transport';

type Envelope =
  { ok: true; value: unknown } | { ok: false; error: { status: number; code: string; message: string } };

const call = async (channel: string, args: unknown[]): Promise<unknown> => {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as Envelope;
  if (reply.ok) return reply.value;
  throw new Error(JSON.stringify(reply.error));
};

// ADMIN_HTTP is a Record over every AdminMethod: a method added to the contract appears here too.
const adminMethods = Object.keys(ADMIN_HTTP) as AdminMethod[];
// A Record, not a list, so that a desktop method missing here is a compile error.
const desktopMethods = Object.keys({
  startServer: true,
  stopServer: true,
  openImageFolder: true,
  openExternal: true,
  getLaunchAtLogin: true,
  setLaunchAtLogin: true,
} satisfies Record<DesktopMethod, true>) as DesktopMethod[];

const bind = (methods: readonly string[], channelOf: (m: never) => string) =>
  Object.fromEntries(
    methods.map((m) => [m, (...args: unknown[]) => call(channelOf(m as never), args)] as const),
  );

const admin = bind(adminMethods, ipcChannelOf) as unknown as AdminApi;
const desktop = bind(desktopMethods, desktopChannelOf) as unknown as DesktopApi;

/** Live log entries; returns the unsubscribe function. The IPC event object never reaches the page. */
const onLog = (listener: (entry: LogEntry) => void): (() => void) => {
  const forward = (_event: IpcRendererEvent, entry: LogEntry) => listener(entry);
  ipcRenderer.on(IPC_LOG_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(IPC_LOG_CHANNEL, forward);
  };
};

contextBridge.exposeInMainWorld('gemgate', { admin, desktop, onLog, mode: 'tray' as const });
