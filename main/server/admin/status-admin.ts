/**
 * getStatus: version, listener, uptime, key availability and what needs the user's attention.
 *
 * `restart_required`: settings flagged `restart` (listen address, port, body limit, DATA_DIR) that
 * were changed after this service was created and that the shell does not apply by itself. The tray
 * moves its listener live (server-host.ts), so there only DATA_DIR waits for the next launch; headless
 * applies them at the next start (settings-admin.ts says why it never moves its listener).
 *
 * `secrets_unreadable`: the tray's saved secrets the keychain could not decrypt (AdminHost
 * `unreadableSecrets`), named in `unreadableSecrets` so the window can say which defaults are in use.
 */
import type { AdminApi } from '../../../shared/admin-contract';
import type { GatewayStatus, GatewayWarning } from '../../../shared/admin-dto';
import { settingKeys, settingSpecs, type SettingKey, type Settings } from '../../../shared/settings-schema';
import type { GatewayCore } from '../core';
import { isRestartSetting } from '../settings/validate-setting';
import type { AdminHost } from './admin-host';
import { exposedPasswordWarning } from './exposed-password';

/** Settings the tray's server host applies by moving its listener. */
export const LIVE_LISTENER_SETTINGS: readonly SettingKey[] = settingKeys.filter(
  (k) => settingSpecs[k].restart === 'listener',
);

/** The restart settings this host only applies at the next start. */
export const pendingRestartSettings = (host: AdminHost): readonly SettingKey[] =>
  settingKeys.filter(
    (k) => isRestartSetting(k) && !(host.mode === 'tray' && LIVE_LISTENER_SETTINGS.includes(k)),
  );

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createStatusAdmin(core: GatewayCore, host: AdminHost): Pick<AdminApi, 'getStatus'> {
  const pending = pendingRestartSettings(host);
  const appliedAtStart: Partial<Settings> = Object.fromEntries(
    pending.map((k) => [k, host.settings.get()[k]]),
  );

  const warningsOf = (
    status: ReturnType<AdminHost['status']>,
    unreadableSecrets: readonly SettingKey[],
  ): GatewayWarning[] => {
    const settings = core.settings.get();
    const keys = core.keys.availability();
    const out: GatewayWarning[] = [];
    if (status.listening === null) out.push('server_not_running');
    else if (exposedPasswordWarning(status.listening.host, settings.password) !== undefined) {
      out.push('default_password_exposed');
    }
    if (keys.total === 0) out.push('no_keys');
    else if (keys.active === 0) out.push('all_keys_unavailable');
    if (core.images.status().problem !== null) out.push('storage_misconfigured');
    const current = host.settings.get();
    if (pending.some((k) => !same(current[k], appliedAtStart[k]))) out.push('restart_required');
    if (unreadableSecrets.length > 0) out.push('secrets_unreadable');
    for (const extra of host.warnings?.() ?? []) if (!out.includes(extra)) out.push(extra);
    return out;
  };

  return {
    async getStatus(): Promise<GatewayStatus> {
      const status = host.status();
      const unreadableSecrets = [...(host.unreadableSecrets?.() ?? [])];
      const { total, active, cooling, disabled } = core.keys.availability();
      const now = core.now();
      return {
        version: core.version,
        listening: status.listening,
        publicUrl: core.settings.get().hostUrl.replace(/\/+$/, '') || null,
        listenError: status.listenError,
        listenProblem: status.listenError === null ? null : (status.listenProblem ?? null),
        startedAt: core.startedAt,
        uptimeSeconds: Math.max(0, Math.floor((now - core.startedAt) / 1000)),
        keys: { total, active, cooling, disabled },
        warnings: warningsOf(status, unreadableSecrets),
        unreadableSecrets,
        mode: host.mode,
      };
    },
  };
}
