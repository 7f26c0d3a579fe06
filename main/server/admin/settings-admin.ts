/**
 * Settings over the admin contract: the masked view, updates (every value checked by its own schema,
 * masks meaning "unchanged"), resets and the one way a secret leaves, revealSecret.
 *
 * Listener settings (host, port, body limit): the tray's server host watches the settings and moves
 * its listener (a new one first, then the old one closes), so `restarting` is true there. Headless
 * never moves its listener: in a container the address belongs to the deployment (Docker's port
 * mapping, the 7860 Hugging Face routes to), so its settings source refuses host and port outright
 * (file-settings.ts), and the rest (the body limit) is saved for the next start, which the
 * `restart_required` status warning reports until then.
 */
import {
  settingKeyListSchema,
  settingsPatchSchema,
  type AdminApi,
  type SettingsUpdateResult,
} from '../../../shared/admin-contract';
import { settingKeys, type SettingKey, type Settings } from '../../../shared/settings-schema';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import {
  isSecretSetting,
  isSettingKey,
  parseSettingValue,
  unknownSettingError,
} from '../settings/validate-setting';
import type { AdminHost, ListenerStatus } from './admin-host';
import { parseInput } from './parse-input';
import { settingsView, unmask, UNCHANGED } from './settings-view';
import { LIVE_LISTENER_SETTINGS, pendingRestartSettings } from './status-admin';

type SettingsAdmin = Pick<AdminApi, 'getSettings' | 'updateSettings' | 'resetSettings' | 'revealSecret'>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The keys of a patch, each a known setting (a clear 400 first, the contract schema as backstop). */
function patchEntries(patch: unknown): [SettingKey, unknown][] {
  if (!isRecord(patch)) throw new ApiError('invalid_request', 'A settings update must be a JSON object.');
  for (const key of Object.keys(patch)) if (!isSettingKey(key)) throw unknownSettingError(key);
  parseInput(settingsPatchSchema, patch);
  // The schema's output lists every setting (zod 4 records over an enum are exhaustive): use the input.
  return Object.entries(patch).filter(([, v]) => v !== undefined) as [SettingKey, unknown][];
}

function settingKeyList(keys: unknown): SettingKey[] {
  if (Array.isArray(keys)) {
    for (const key of keys) if (typeof key === 'string' && !isSettingKey(key)) throw unknownSettingError(key);
  }
  return parseInput(settingKeyListSchema, keys);
}

export function createSettingsAdmin(core: GatewayCore, host: AdminHost): SettingsAdmin {
  const source = host.settings;
  const deferred = pendingRestartSettings(host);

  /** Logs what changed (names only: values may be secrets) and says whether the listener moves. */
  const afterChange = (previous: Settings, before: ListenerStatus, verb: string): SettingsUpdateResult => {
    const next = source.get();
    const changed = settingKeys.filter((k) => !same(previous[k], next[k]));
    if (changed.length > 0) core.log.info(`admin: settings ${verb}: ${changed.join(', ')}`);
    const later = changed.filter((k) => deferred.includes(k));
    if (later.length > 0) {
      core.log.warn(
        `admin: ${later.join(', ')} ${later.length > 1 ? 'apply' : 'applies'} at the next start.`,
      );
    }
    // The tray's server host restarts a listener that runs or failed, not one the user stopped.
    const running = before.listening !== null || before.listenError !== null;
    const restarting =
      host.mode === 'tray' && running && changed.some((k) => LIVE_LISTENER_SETTINGS.includes(k));
    return { settings: settingsView(source), restarting };
  };

  return {
    async getSettings() {
      return settingsView(source);
    },

    async updateSettings(patch) {
      const entries = patchEntries(patch);
      const previous = source.get();
      const resolved: Partial<Record<SettingKey, unknown>> = {};
      for (const [key, raw] of entries) {
        const value = unmask(key, raw, previous[key]);
        if (value !== UNCHANGED) resolved[key] = parseSettingValue(key, value);
      }
      const before = host.status();
      if (Object.keys(resolved).length > 0) await source.update(resolved as Partial<Settings>);
      return afterChange(previous, before, 'saved');
    },

    async resetSettings(keys) {
      const valid = settingKeyList(keys);
      const previous = source.get();
      const before = host.status();
      if (valid.length > 0) await source.reset(valid);
      return afterChange(previous, before, 'reset');
    },

    async revealSecret(key) {
      if (typeof key !== 'string' || !isSettingKey(key)) throw unknownSettingError(String(key));
      if (!isSecretSetting(key)) {
        throw new ApiError('invalid_request', `'${key}' is not a secret: getSettings shows it.`, {
          param: key,
        });
      }
      const value: unknown = source.get()[key];
      core.log.info(`admin: revealed ${key}`);
      // A list the way its environment variable is written: one item per line.
      return Array.isArray(value) ? value.map(String).join('\n') : String(value);
    },
  };
}
