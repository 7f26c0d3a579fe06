/**
 * The tray app's start guard for passwords it could not decrypt (keyring locked at autostart,
 * Keychain prompt denied, DPAPI keys lost). The settings store falls back to the default then: "123"
 * for the API password, and an empty admin password, which means "the API password". A listener on
 * the saved host — perhaps 0.0.0.0 — would accept that known default from anyone, so the server does
 * not listen until the keychain is back (next start) or the user sets a new value (server-host.ts
 * then starts by itself).
 */
import type { SettingKey } from '../../shared/settings-schema';
import { LISTEN_WORDS_EN, type ListenFailure } from './listen-error';

/** The secrets that keep strangers out of the listener. */
const LISTENER_SECRETS = ['password', 'adminPassword'] as const satisfies readonly SettingKey[];

/**
 * Why the listener must stay down, or null. The English words go into the log ("Gemgate could not
 * start its server: …."), hence the lower-case start and no full stop; the window and the tray word
 * the problem (the settings it names) from its code, in their own language.
 */
export function unreadableSecretsReason(unreadable: readonly SettingKey[]): ListenFailure | null {
  const locked = LISTENER_SECRETS.filter((key) => unreadable.includes(key));
  if (locked.length === 0) return null;
  return {
    message: LISTEN_WORDS_EN.secrets_unreadable(locked),
    problem: { code: 'secrets_unreadable', settings: [...locked] },
  };
}

/**
 * The unreadable secrets the dashboard warns about (`secrets_unreadable`): every one but the listener's
 * passwords, whose blocked start already says so. These only fall back to their defaults, which
 * breaks things quietly instead: an empty OUTBOUND_PROXY, where Google is reachable only through it,
 * fails every call.
 */
export const fallbackSecrets = (unreadable: readonly SettingKey[]): SettingKey[] =>
  unreadable.filter((key) => !(LISTENER_SECRETS as readonly SettingKey[]).includes(key));
