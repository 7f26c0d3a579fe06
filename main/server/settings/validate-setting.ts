/**
 * One setting value checked against its own schema (shared/settings), with the 400 every writer of
 * settings answers: it names the setting (and the list item), never echoes the value — it may be a
 * secret.
 */
import type { z } from 'zod';
import { SECRET_MASK } from '../../../shared/admin-contract';
import {
  settingSpecs,
  settingsSchema,
  type SettingKey,
  type Settings,
} from '../../../shared/settings-schema';
import { ApiError } from '../errors';

export const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(settingSpecs, key);

export const isSecretSetting = (key: SettingKey): boolean => {
  const spec = settingSpecs[key];
  return 'secret' in spec && spec.secret === true;
};

/** Settings whose change needs a new listener or a new process (host, port, body limit, DATA_DIR). */
export const isRestartSetting = (key: SettingKey): boolean => settingSpecs[key].restart !== undefined;

export const unknownSettingError = (key: string): ApiError =>
  new ApiError('invalid_request', `Unknown setting '${key}'.`, { param: key });

const pathSuffix = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');

/** The value as the schema parses it, or a 400 naming the setting, e.g. `whitelistIps[1]`. */
export function parseSettingValue<K extends SettingKey>(key: K, value: unknown): Settings[K] {
  const spec = settingSpecs[key];
  const schema = spec.schema as z.ZodType<Settings[K]>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = `${key}${pathSuffix(issue?.path ?? [])}`;
  throw new ApiError(
    'invalid_request',
    `Invalid value for '${param}' (${spec.label.en}, ${spec.env}): ${issue?.message ?? 'invalid value'}`,
    { param },
  );
}

export type SavedSettings = Partial<Record<SettingKey, unknown>>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A settings patch from the admin, checked key by key — every writable source (the headless file,
 * the tray's electron-store, the in-memory adapter) accepts patches the same way: unknown keys and
 * invalid values are a 400 naming the setting; `undefined` and a secret sent back as the mask mean
 * "unchanged". `accept` lets a source skip (false) or refuse (throw) a key it does not save.
 */
export function parseSettingsPatch(
  patch: unknown,
  accept: (key: SettingKey, value: unknown) => boolean = () => true,
): SavedSettings {
  if (!isRecord(patch)) throw new ApiError('invalid_request', 'A settings update must be an object.');
  const values: SavedSettings = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!isSettingKey(key)) throw unknownSettingError(key);
    if (value === undefined || (isSecretSetting(key) && value === SECRET_MASK)) continue;
    const parsed = parseSettingValue(key, value);
    if (accept(key, parsed)) values[key] = parsed;
  }
  return values;
}

/** The merged result must still be a complete, valid settings object (guards cross-field slips). */
export function assertCompleteSettings(merged: Settings): void {
  const checked = settingsSchema.safeParse(merged);
  if (checked.success) return;
  const issue = checked.error.issues[0];
  const param = issue?.path.map(String).join('.') ?? '';
  throw new ApiError(
    'invalid_request',
    `Invalid value for '${param}': ${issue?.message ?? 'invalid value'}`,
    {
      param,
    },
  );
}
