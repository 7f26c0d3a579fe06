/**
 * Data the admin UI shows, as plain types both sides share: the server produces them, the renderer
 * displays them. No secrets travel in them except through `revealSecret`, on purpose.
 */

export type KeyStatus = 'active' | 'cooling' | 'disabled';

/** One Gemini key's health (the key itself only masked). */
export interface KeyHealth {
  id: string;
  masked: string;
  status: KeyStatus;
  cooldownUntil: number | null;
  disabledReason: string | null;
  requests: number;
  successes: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  lastUsedAt: number | null;
  lastError: { at: number; status: number | null; message: string } | null;
}

export interface KeyCheckResult {
  id: string;
  masked: string;
  outcome: 'valid' | 'invalid' | 'rate_limited' | 'unknown';
  message?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One finished HTTP request. Keys appear only masked. */
export interface RequestLogFields {
  method: string;
  path: string;
  ip: string;
  status: number;
  latencyMs: number;
  model?: string;
  key?: string;
  stream?: boolean;
  attempts?: number;
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
  errorCode?: string;
}

export interface LogEntry {
  id: number;
  time: number;
  level: LogLevel;
  message: string;
  request?: RequestLogFields;
}

export interface UsageTotals {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export type UsageRange = '24h' | '7d' | '30d';

export interface UsageReport {
  range: UsageRange;
  /** Bucket start times (unix ms): hours for 24h, days (UTC) otherwise. */
  series: ({ start: number } & UsageTotals)[];
  total: UsageTotals;
  byModel: ({ model: string } & UsageTotals)[];
  /** By Gemini key id (masked alongside). */
  byKey: ({ keyId: string; masked: string } & UsageTotals)[];
  byAccessKey: ({ accessKeyId: string; name: string } & UsageTotals)[];
}

export interface GalleryImage {
  id: string;
  /** Absolute when the gateway knows its origin, else a path under /images/. */
  url: string;
  storage: 'memory' | 'local' | 'qiniu' | 'tencent';
  mimeType: string;
  bytes: number;
  model?: string;
  prompt?: string;
  source: 'chat' | 'images-api' | 'xai';
  createdAt: number;
}

export interface GalleryPage {
  total: number;
  entries: GalleryImage[];
}

export interface ImageStorageInfo {
  storage: GalleryImage['storage'];
  count: number;
  bytes: number;
  /** Why the store cannot be used (missing credentials…), if it cannot. */
  problem: string | null;
  /** The folder of local storage (for "open folder" in the desktop app). */
  folder: string | null;
}

export type GatewayWarning =
  | 'default_password_exposed'
  | 'no_keys'
  | 'all_keys_unavailable'
  | 'storage_misconfigured'
  | 'server_not_running'
  /** Desktop: the OS offers no encryption, so saved passwords and keys are stored in plain text. */
  | 'secrets_unencrypted'
  /** A saved setting (port, listen address, body limit, data folder) applies at the next start. */
  | 'restart_required';

export interface GatewayStatus {
  version: string;
  /** null when the listener is stopped or failed to start (the window still works). */
  listening: { host: string; port: number; baseUrl: string } | null;
  /** Why the listener is not running, e.g. "port 7860 is in use". */
  listenError: string | null;
  startedAt: number;
  uptimeSeconds: number;
  keys: { total: number; active: number; cooling: number; disabled: number };
  warnings: GatewayWarning[];
  /** Tray app vs headless web admin: some actions exist only on the desktop. */
  mode: 'tray' | 'headless';
}
