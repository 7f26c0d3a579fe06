/**
 * Which settings an environment variable actually gives (not the defaults parseSettingsFromEnv fills
 * in): the same names and the same "blank means unset" rule as shared/settings-env.ts.
 */
import type { EnvSource } from '../../../shared/settings-env';
import { settingKeys, settingSpecs, type SettingKey } from '../../../shared/settings-schema';

const namesOf = (key: SettingKey): readonly string[] => {
  const spec = settingSpecs[key];
  return [spec.env, ...('envAliases' in spec ? (spec.envAliases as readonly string[]) : [])];
};

export const environmentKeys = (env: EnvSource): SettingKey[] =>
  settingKeys.filter((key) => namesOf(key).some((name) => (env[name]?.trim() ?? '') !== ''));
