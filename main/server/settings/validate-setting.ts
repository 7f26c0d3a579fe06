/**
 * One setting value checked against its own schema (shared/settings), with the 400 every writer of
 * settings answers: it names the setting (and the list item), never echoes the value — it may be a
 * secret.
 */
import type { z } from 'zod';
import { settingSpecs, type SettingKey, type Settings } from '../../../shared/settings-schema';
import { ApiError } from '../errors';

export const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(settingSpecs, key);

export const isSecretSetting = (key: SettingKey): boolean => {
  const spec = settingSpecs[key];
  return 'secret' in spec && spec.secret === true;
};

/** Settings whose change needs a new listener or a new process (host, port, body limit, DATA_DIR). */
export const isRestartSetting = (key: SettingKey): boolean => {
  const spec = settingSpecs[key];
  return 'restart' in spec && spec.restart === true;
};

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
