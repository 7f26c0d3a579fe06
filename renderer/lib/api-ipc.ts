/**
 * The admin contract inside Electron: the preload bridge (`window.gemgate`) already exposes an
 * AdminApi-shaped object whose methods call ipcRenderer.invoke. This wrapper only turns rejected
 * invokes into AdminError, so pages handle errors the same way on both transports.
 */
import type { AdminApi } from '../../shared/admin-contract';
import type { LogEntry } from '../../shared/admin-dto';
import type { AdminMethod, DesktopApi } from '../../shared/admin-transport';
import { AdminError, errorMessage } from './admin-error';
import { implementAdmin } from './admin-methods';

/** What the preload exposes as `window.gemgate`. */
export interface GemgateBridge {
  admin: AdminApi;
  desktop: DesktopApi;
  onLog(listener: (entry: LogEntry) => void): () => void;
  mode: 'tray';
}

const REMOTE_PREFIX = /^Error invoking remote method '[^']*': /;
const ERROR_NAME_PREFIX = /^[A-Za-z]*Error: /;

const asFields = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * Electron passes only the message of an error thrown in a main-process handler, prefixed with
 * "Error invoking remote method '<channel>': Error: ". Status and code survive when the handler put
 * them on the error object or serialised them as JSON into the message (`{status,code,message}` or
 * the HTTP error body `{"error":{…}}`); otherwise the error is a generic one.
 */
export function ipcError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  const direct = asFields(err);
  if (direct && typeof direct.status === 'number' && typeof direct.code === 'string') {
    return new AdminError(direct.status, direct.code, errorMessage(err));
  }
  const text = errorMessage(err).replace(REMOTE_PREFIX, '').replace(ERROR_NAME_PREFIX, '');
  try {
    const parsed = asFields(JSON.parse(text));
    const fields = asFields(parsed?.error) ?? parsed;
    if (fields && typeof fields.code === 'string' && typeof fields.message === 'string') {
      return new AdminError(
        typeof fields.status === 'number' ? fields.status : 500,
        fields.code,
        fields.message,
      );
    }
  } catch {
    // plain text message
  }
  return new AdminError(500, 'ipc_error', text);
}

export function createIpcAdmin(bridge: GemgateBridge): AdminApi {
  return implementAdmin(async (method, args) => {
    // Called on the bridge object, as the preload defined it.
    const methods = bridge.admin as unknown as Record<AdminMethod, (...a: unknown[]) => Promise<unknown>>;
    try {
      return await methods[method](...args);
    } catch (err) {
      throw ipcError(err);
    }
  });
}
