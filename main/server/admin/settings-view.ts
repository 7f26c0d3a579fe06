/**
 * Settings as the admin UI sees them (SettingsView) and the way masked values come back. A secret
 * leaves only as SECRET_MASK ('' when empty); a secret list (GEMINI_API_KEYS, XAI_API_KEYS) as one
 * masked entry per item — SECRET_MASK followed by the item's usual masked form, so a client can send
 * the list back with items removed or added and each remaining entry still names its item.
 */
import { SECRET_MASK, type SettingsView } from '../../../shared/admin-contract';
import { settingKeys, type SettingKey, type Settings } from '../../../shared/settings-schema';
import { ApiError } from '../errors';
import { maskKey } from '../keys/mask-key';
import { isSecretSetting } from '../settings/validate-setting';
import type { WritableSettingsSource } from '../settings/writable-settings';

export const maskedEntry = (item: string): string => `${SECRET_MASK}${maskKey(item)}`;

const isSet = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 : value !== '');

export function settingsView(source: WritableSettingsSource): SettingsView {
  const current = source.get();
  const values: Record<string, unknown> = { ...current };
  const secretsSet: SettingKey[] = [];
  for (const key of settingKeys) {
    if (!isSecretSetting(key)) continue;
    const value: unknown = current[key];
    if (isSet(value)) secretsSet.push(key);
    values[key] = Array.isArray(value)
      ? value.map((item) => maskedEntry(String(item)))
      : isSet(value)
        ? SECRET_MASK
        : '';
  }
  return {
    values: values as Settings,
    secretsSet,
    overridden: settingKeys.filter((k) => source.originOf(k) === 'saved'),
    fromEnvironment: source.environmentKeys
      ? [...source.environmentKeys()]
      : settingKeys.filter((k) => source.originOf(k) === 'environment'),
  };
}

/** Returned by unmask() for "leave this setting as it is". */
export const UNCHANGED = Symbol('unchanged');

/**
 * The real value a patch entry stands for: SECRET_MASK → unchanged; in a secret list, each masked
 * entry → the current item it names (the n-th entry with a given mask → the n-th such item).
 */
export function unmask(key: SettingKey, value: unknown, current: unknown): unknown {
  if (!isSecretSetting(key)) return value;
  if (value === SECRET_MASK) return UNCHANGED;
  if (!Array.isArray(value) || !Array.isArray(current)) return value;
  const pending = new Map<string, string[]>();
  for (const item of current as unknown[]) {
    const mask = maskedEntry(String(item));
    pending.set(mask, [...(pending.get(mask) ?? []), String(item)]);
  }
  return value.map((entry: unknown, index) => {
    if (typeof entry !== 'string' || !entry.startsWith(SECRET_MASK)) return entry;
    const item = pending.get(entry)?.shift();
    if (item === undefined) {
      throw new ApiError(
        'invalid_request',
        `Invalid value for '${key}[${index}]': a masked entry that names no current item. Send new items in full.`,
        { param: `${key}[${index}]` },
      );
    }
    return item;
  });
}
