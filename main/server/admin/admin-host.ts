/**
 * What the admin service needs from the shell that runs the gateway: the tray app (its listener can
 * be stopped, fail to bind, move) or the HTTP server itself (headless web admin).
 */
import type { GatewayStatus, GatewayWarning, ListenProblem } from '../../../shared/admin-dto';
import type { SettingKey } from '../../../shared/settings-schema';
import type { WritableSettingsSource } from '../settings/writable-settings';

export interface ListenerStatus {
  /** null when the listener is stopped or failed to start. */
  listening: GatewayStatus['listening'];
  listenError: string | null;
  /** `listenError` as a code the window words in its language, when its cause is a known one. */
  listenProblem?: ListenProblem;
}

export interface AdminHost {
  mode: GatewayStatus['mode'];
  status(): ListenerStatus;
  /** Where settings changes go: the same source the core reads, so they apply at once. */
  settings: WritableSettingsSource;
  /** Warnings only the shell knows about, e.g. the desktop's `secrets_unencrypted`. */
  warnings?(): readonly GatewayWarning[];
  /**
   * The desktop's saved secrets that the keychain could not decrypt and that still fall back to their
   * defaults: the `secrets_unreadable` warning, so that e.g. a proxy gone missing is not a mystery.
   */
  unreadableSecrets?(): readonly SettingKey[];
  /**
   * Origin of absolute gallery links when HOST_URL is empty. Default: the local listener (the
   * desktop window runs on this computer). The HTTP host answers null: each request's own origin
   * is used instead, by the transport.
   */
  imageOrigin?(): string | null;
}
