/**
 * The admin contract (DESIGN §1): the operations the settings window performs, with zod schemas for
 * every payload. Electron implements it over IPC, the headless server over HTTP (/admin/api/*);
 * the renderer talks to whichever it has through the same interface.
 */
import { z } from 'zod';
import type {
  GalleryPage,
  GatewayStatus,
  ImageStorageInfo,
  KeyCheckResult,
  KeyHealth,
  LogEntry,
  UsageRange,
  UsageReport,
} from './admin-dto';
import { settingKeys, type SettingKey, type Settings } from './settings-schema';

const nullableLimit = z.number().int().min(1).max(1_000_000_000).nullable();

export const accessKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  enabled: z.boolean().optional(),
  limit: nullableLimit.optional(),
  dailyReset: z.boolean().optional(),
  perMinute: z.number().int().min(1).max(100_000).nullable().optional(),
  /** Unix milliseconds; null = never. */
  expiresAt: z.number().int().min(0).nullable().optional(),
});
export type AccessKeyInput = z.infer<typeof accessKeyInputSchema>;

export const accessKeyPatchSchema = accessKeyInputSchema.partial().extend({
  resetUsage: z.boolean().optional(),
});
export type AccessKeyPatch = z.infer<typeof accessKeyPatchSchema>;

/** An access key as the UI sees it: never the key itself, only a preview. */
export interface AccessKeyDto {
  id: string;
  name: string;
  preview: string;
  enabled: boolean;
  limit: number | null;
  dailyReset: boolean;
  perMinute: number | null;
  expiresAt: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  used: number;
  status: 'active' | 'disabled' | 'expired' | 'exhausted';
}

export interface CreatedAccessKey {
  /** The full key: shown once, never retrievable again. */
  key: string;
  record: AccessKeyDto;
}

export const loginSchema = z.object({ password: z.string().min(1).max(1000) });

export interface AdminSession {
  token: string;
  expiresAt: number;
}

/** What a secret looks like in a SettingsView; sending it back in a patch means "unchanged". */
export const SECRET_MASK = '••••••••';

/** Current settings as the UI may see them: secrets masked, with where each value comes from. */
export interface SettingsView {
  values: Settings;
  /** Secrets that have a (non-empty) value. */
  secretsSet: SettingKey[];
  /** Headless: settings saved in the admin, which win over the environment. Tray: every saved one. */
  overridden: SettingKey[];
  /** Headless: settings given by an environment variable. */
  fromEnvironment: SettingKey[];
}

export interface SettingsUpdateResult {
  settings: SettingsView;
  /** The listener restarts to apply a host/port change. */
  restarting: boolean;
}

const settingKeySchema = z.enum(settingKeys as [SettingKey, ...SettingKey[]]);

/** A patch names known settings only; values are checked against the schema by the server. */
export const settingsPatchSchema = z.record(settingKeySchema, z.unknown());
export type SettingsPatch = Partial<Record<SettingKey, unknown>>;
export const settingKeyListSchema = z.array(settingKeySchema).max(settingKeys.length);

export const keysTextSchema = z.object({ text: z.string().max(200_000) });
export const idListSchema = z.object({ ids: z.array(z.string().min(1).max(100)).max(10_000) });
export const keyEnabledSchema = z.object({ enabled: z.boolean() });
export const usageRangeSchema = z.enum(['24h', '7d', '30d']);
/** Lines per breakdown chart before the rest is summed as "other" (more would not be readable). */
export const USAGE_TOP_ITEMS = 5;
export const galleryPageSchema = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

export interface AddKeysResult {
  added: number;
  duplicates: number;
  keys: KeyHealth[];
}

/** Everything the settings window can do. Electron serves it over IPC, headless over HTTP. */
export interface AdminApi {
  getStatus(): Promise<GatewayStatus>;

  getSettings(): Promise<SettingsView>;
  updateSettings(patch: SettingsPatch): Promise<SettingsUpdateResult>;
  /** Headless: forget admin-saved values so the environment (or default) applies again. */
  resetSettings(keys: SettingKey[]): Promise<SettingsUpdateResult>;
  revealSecret(key: SettingKey): Promise<string>;

  listKeys(): Promise<KeyHealth[]>;
  /** Bulk paste: any separator; duplicates and blanks ignored; new keys are checked at once. */
  addKeys(text: string): Promise<AddKeysResult>;
  removeKeys(ids: string[]): Promise<KeyHealth[]>;
  checkKeys(ids?: string[]): Promise<KeyCheckResult[]>;
  setKeyEnabled(id: string, enabled: boolean): Promise<KeyHealth[]>;

  /** The XAI_API_KEYS pool, masked; the list itself is edited in the settings. */
  listXaiKeys(): Promise<KeyHealth[]>;
  /** Gives a key the gateway disabled (xAI rejected it) another chance; other keys stay as they are. */
  enableXaiKey(id: string): Promise<KeyHealth[]>;

  listAccessKeys(): Promise<AccessKeyDto[]>;
  createAccessKey(input: AccessKeyInput): Promise<CreatedAccessKey>;
  updateAccessKey(id: string, patch: AccessKeyPatch): Promise<AccessKeyDto>;
  revokeAccessKey(id: string): Promise<void>;

  getUsage(range: UsageRange): Promise<UsageReport>;

  /** Entries after `afterId`, oldest first (the live stream is transport-specific). */
  getLogs(afterId?: number): Promise<LogEntry[]>;
  clearLogs(): Promise<void>;

  listImages(page: { offset?: number; limit?: number }): Promise<GalleryPage>;
  deleteImages(ids: string[]): Promise<{ deleted: string[] }>;
  imageStorage(): Promise<ImageStorageInfo>;
}

/** The access-key part of the contract (also all the keys CLI needs). */
export type AccessKeyAdmin = Pick<
  AdminApi,
  'listAccessKeys' | 'createAccessKey' | 'updateAccessKey' | 'revokeAccessKey'
>;

/**
 * Live log entries: SSE over HTTP, IPC events in Electron. `onConnection` hears when the live stream
 * drops (false: it is reconnecting) and when it is back (true); IPC never drops, so it never calls it.
 */
export type SubscribeLogs = (
  listener: (entry: LogEntry) => void,
  onConnection?: (live: boolean) => void,
) => () => void;
