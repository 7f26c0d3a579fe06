/**
 * Data the admin UI shows, as plain types both sides share: the server produces them, the renderer
 * displays them. No secrets travel in them except through `revealSecret`, on purpose.
 */
import type { SettingKey } from './settings-schema';

export type KeyStatus = 'active' | 'cooling' | 'disabled';

/**
 * One pooled key's health, Gemini or xAI (the key itself only masked). Tokens are counted for Gemini
 * keys only: the xAI relay passes answers through without reading their usage, so they stay 0 there.
 */
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

/** What a breakdown chart counts. Tokens are prompt + completion (completion includes reasoning). */
export type UsageMetric = 'requests' | 'tokens';

/** One line of a breakdown chart: an item's count in each bucket of `UsageReport.series`. */
export interface UsageSeries {
  /** Model name, Gemini key id or access key id; '' for the "other" line. */
  id: string;
  /**
   * Model name, masked key or access key name; '' for "other"; null for an item that is gone (a
   * removed Gemini key, a revoked access key). The window names the last two in its language.
   */
  label: string | null;
  /** The items beyond the top ones, summed: one line, so a chart stays readable with many items. */
  other: boolean;
  /** One per bucket, aligned with `UsageReport.series`. */
  values: number[];
  total: number;
}

/**
 * Per metric, the items with the most of it first: at most USAGE_TOP_ITEMS, then "other" for the rest
 * (a rest of one item is shown by name instead). Items with none of it are left out, so an empty range
 * has no lines.
 */
export type UsageBreakdown = Record<UsageMetric, UsageSeries[]>;

export interface UsageReport {
  range: UsageRange;
  /** Bucket start times (unix ms): hours for 24h, days (UTC) otherwise. */
  series: ({ start: number } & UsageTotals)[];
  total: UsageTotals;
  /** The range's totals per item, most requests first (as the tables list them). */
  byModel: ({ model: string } & UsageTotals)[];
  /** By Gemini key id (masked alongside; null once the key was removed: its history stays). */
  byKey: ({ keyId: string; masked: string | null } & UsageTotals)[];
  /** By access key id (its name; null once the key was revoked). */
  byAccessKey: ({ accessKeyId: string; name: string | null } & UsageTotals)[];
  /** The same three dimensions per bucket, for the charts (the by* lists hold the range totals). */
  breakdown: { model: UsageBreakdown; key: UsageBreakdown; accessKey: UsageBreakdown };
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
  /**
   * Desktop: saved secrets the system keychain could not decrypt at launch (GatewayStatus
   * `unreadableSecrets` names them); their defaults are in use until each is saved again.
   */
  | 'secrets_unreadable'
  /** A saved setting (port, listen address, body limit, data folder) applies at the next start. */
  | 'restart_required';

/**
 * Why the listener is not running, as a code the window and the tray word in their language
 * (shared/listen-problem.ts); `listenError` says the same in English, for the log. Causes without a
 * code have no ListenProblem: the window and the tray show `listenError` as it is.
 */
export type ListenProblem = (
  | { code: 'port_in_use' | 'port_denied'; port: number }
  | { code: 'address_unavailable' | 'host_unresolved'; host: string }
  /** The tray's start guard: saved passwords the system keychain could not decrypt. */
  | { code: 'secrets_unreadable'; settings: SettingKey[] }
) & {
  /** A move to a new address failed and the old listener still serves, at this origin. */
  stillServing?: string;
};

export interface GatewayStatus {
  version: string;
  /** null when the listener is stopped or failed to start (the window still works). */
  listening: { host: string; port: number; baseUrl: string } | null;
  /**
   * HOST_URL when it is set (no trailing slash), else null. Clients are told this address before any
   * the window works out itself: behind Docker's port mapping or a Space's proxy, the listener's own
   * address (0.0.0.0:7860, reached as 127.0.0.1) is no address a client elsewhere can use.
   */
  publicUrl: string | null;
  /** Why the listener is not running, e.g. "port 7860 is in use" (English). */
  listenError: string | null;
  /** The same as a code, when the cause is a known one. */
  listenProblem: ListenProblem | null;
  startedAt: number;
  uptimeSeconds: number;
  keys: { total: number; active: number; cooling: number; disabled: number };
  warnings: GatewayWarning[];
  /**
   * The settings of the `secrets_unreadable` warning (empty without it). The passwords are not among
   * them: the listener does not start without those (listenProblem `secrets_unreadable` says so).
   */
  unreadableSecrets: SettingKey[];
  /** Tray app vs headless web admin: some actions exist only on the desktop. */
  mode: 'tray' | 'headless';
}
