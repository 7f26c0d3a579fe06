/**
 * The one settings schema (DESIGN §3). Every setting is declared once, in the group files of
 * shared/settings/, with its type, default, environment variable, group, labels and help (zh/en),
 * whether it is a secret and whether changing it restarts the listener. The TypeScript type, env
 * parsing (settings-env.ts), the settings form and the README table are all derived from it.
 */
import { z } from 'zod';
import { authSettings } from './settings/auth';
import { geminiSettings } from './settings/gemini';
import { imagesSettings } from './settings/images';
import { limitsSettings } from './settings/limits';
import { serverSettings } from './settings/server';
import { xaiSettings } from './settings/xai';
import type { RunMode, SettingSpec, Text } from './settings/spec';

export type { EnvFormat, RunMode, SettingGroup, SettingSpec, Text } from './settings/spec';
export { trustProxySchema } from './settings/server';
export { COS_REGION_MESSAGE, COS_REGION_PATTERN } from './settings/images';
export { isDirectProxySetting } from './settings/spec';

export const settingSpecs = {
  ...serverSettings,
  ...authSettings,
  ...limitsSettings,
  ...geminiSettings,
  ...imagesSettings,
  ...xaiSettings,
} as const;

export type SettingKey = keyof typeof settingSpecs;
type SpecValue<S> = S extends SettingSpec<infer T> ? T : never;
export type Settings = { -readonly [K in SettingKey]: SpecValue<(typeof settingSpecs)[K]> };

export const settingKeys = Object.keys(settingSpecs) as SettingKey[];

const isModeDefault = <T>(d: T | { headless: T; tray: T }): d is { headless: T; tray: T } =>
  typeof d === 'object' && d !== null && !Array.isArray(d) && 'headless' in d && 'tray' in d;

export const defaultFor = <K extends SettingKey>(key: K, mode: RunMode): Settings[K] => {
  const d = settingSpecs[key].default as Settings[K] | { headless: Settings[K]; tray: Settings[K] };
  return isModeDefault(d) ? d[mode] : d;
};

/** "Empty: direct." where an empty value does something else in each mode (SettingSpec.empty). */
export const emptyMeaning = (key: SettingKey, mode: RunMode): Text | undefined => {
  const empty = settingSpecs[key].empty?.[mode];
  return empty && { en: `Empty: ${empty.en}.`, zh: `留空则${empty.zh}。` };
};

/** The help a mode shows: `help`, then what an empty value does in that mode. */
export const helpFor = (key: SettingKey, mode: RunMode): Text => {
  const { help } = settingSpecs[key];
  const empty = emptyMeaning(key, mode);
  return empty ? { en: `${help.en} ${empty.en}`, zh: `${help.zh}${empty.zh}` } : help;
};

export const settingsDefaults = (mode: RunMode): Settings =>
  Object.fromEntries(settingKeys.map((k) => [k, defaultFor(k, mode)])) as Settings;

/** The zod object for a complete settings value, e.g. a persisted settings file. */
export const settingsSchema = z.object(
  Object.fromEntries(settingKeys.map((k) => [k, settingSpecs[k].schema])) as {
    [K in SettingKey]: z.ZodType<Settings[K]>;
  },
);

/** Settings that hold secrets: masked in the UI, never logged. */
export const secretSettingKeys = settingKeys.filter(
  (k) => 'secret' in settingSpecs[k] && settingSpecs[k].secret,
);
