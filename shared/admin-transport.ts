/**
 * How the admin contract travels, defined once for both ends of each transport: the HTTP routes of
 * the headless web admin (server routes and the renderer's fetch client derive from this table) and
 * the IPC channel names of the desktop app (main-process handlers and the preload bridge).
 */
import type { AdminApi } from './admin-contract';

export type AdminMethod = keyof AdminApi;

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `:id` is filled from the first argument where present. */
  path: string;
}

/**
 * Arguments: GET routes take them as query parameters (named in `query`), `:id` routes take the id as
 * the first argument, and everything else travels as the JSON body.
 */
export const ADMIN_HTTP: Record<AdminMethod, HttpRoute & { query?: readonly string[] }> = {
  getStatus: { method: 'GET', path: '/admin/api/status' },
  getSettings: { method: 'GET', path: '/admin/api/settings' },
  updateSettings: { method: 'PATCH', path: '/admin/api/settings' }, // body: SettingsPatch
  resetSettings: { method: 'POST', path: '/admin/api/settings/reset' }, // body: { keys }
  revealSecret: { method: 'POST', path: '/admin/api/settings/reveal' }, // body: { key } → { value }
  listKeys: { method: 'GET', path: '/admin/api/keys' },
  addKeys: { method: 'POST', path: '/admin/api/keys' }, // body: { text }
  removeKeys: { method: 'POST', path: '/admin/api/keys/remove' }, // body: { ids }
  checkKeys: { method: 'POST', path: '/admin/api/keys/check' }, // body: { ids? }
  setKeyEnabled: { method: 'PATCH', path: '/admin/api/keys/:id' }, // body: { enabled }
  listXaiKeys: { method: 'GET', path: '/admin/api/xai-keys' },
  enableXaiKey: { method: 'POST', path: '/admin/api/xai-keys/:id/enable' },
  listAccessKeys: { method: 'GET', path: '/admin/api/access-keys' },
  createAccessKey: { method: 'POST', path: '/admin/api/access-keys' }, // body: AccessKeyInput
  updateAccessKey: { method: 'PATCH', path: '/admin/api/access-keys/:id' }, // body: AccessKeyPatch
  revokeAccessKey: { method: 'DELETE', path: '/admin/api/access-keys/:id' },
  getUsage: { method: 'GET', path: '/admin/api/usage', query: ['range'] },
  getLogs: { method: 'GET', path: '/admin/api/logs', query: ['after'] },
  clearLogs: { method: 'DELETE', path: '/admin/api/logs' },
  listImages: { method: 'GET', path: '/admin/api/images', query: ['offset', 'limit'] },
  deleteImages: { method: 'POST', path: '/admin/api/images/delete' }, // body: { ids }
  imageStorage: { method: 'GET', path: '/admin/api/images/storage' },
};

/** Live log entries over HTTP: Server-Sent Events; EventSource cannot set headers, hence `?token=`. */
export const ADMIN_LOG_STREAM_PATH = '/admin/api/logs/stream';
export const ADMIN_LOGIN_PATH = '/admin/api/login';
export const ADMIN_LOGOUT_PATH = '/admin/api/logout';

/** IPC: one invoke channel per method (arguments as an array), one push channel for log entries. */
export const ipcChannelOf = (method: AdminMethod): string => `gemgate:admin:${method}`;
export const IPC_LOG_CHANNEL = 'gemgate:logs';

/** Desktop-only actions, outside the shared contract (the web admin cannot do them). */
export interface DesktopApi {
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  openImageFolder(): Promise<void>;
  openExternal(url: string): Promise<void>;
  getLaunchAtLogin(): Promise<boolean>;
  setLaunchAtLogin(enabled: boolean): Promise<void>;
}
export type DesktopMethod = keyof DesktopApi;
export const desktopChannelOf = (method: DesktopMethod): string => `gemgate:desktop:${method}`;
