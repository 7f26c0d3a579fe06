/**
 * The tray's WritableSettingsSource: tray defaults (shared schema, mode 'tray') under the values the
 * user saved, persisted in electron-store. Only saved values are written, so a later release can
 * change a default; secrets go through the SecretCodec (safeStorage ciphertext when available).
 *
 * Every value is checked against its setting's zod schema on load (a bad or undecryptable value falls
 * back to the default with a warning, the rest of the file still applies) and on update (a 400 naming
 * the setting; nothing is saved).
 */
import { isAbsolute, resolve } from 'node:path';
import {
  settingSpecs,
  settingsDefaults,
  type RunMode,
  type SettingKey,
  type Settings,
} from '../../shared/settings-schema';
import { assertCompleteSettings, parseSettingsPatch } from '../server/settings/validate-setting';
import type { SettingsListener } from '../server/settings/settings-source';
import type { SettingOrigin, WritableSettingsSource } from '../server/settings/writable-settings';
import type { SecretCodec } from './secrets';
import { SETTINGS_KEY } from './settings-migrations';

/** The part of electron-store (or conf, in tests) this module uses. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}

export interface SettingsStoreOptions {
  store: KeyValueStore;
  secrets: SecretCodec;
  /** Where relative folders (the default DATA_DIR "./data") live: the app's userData folder. */
  baseDir: string;
  mode?: RunMode;
}

type Saved = Partial<Record<SettingKey, unknown>>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isSettingKey = (k: string): k is SettingKey => Object.hasOwn(settingSpecs, k);
const isSecret = (k: SettingKey): boolean => 'secret' in settingSpecs[k] && settingSpecs[k].secret === true;

const issueText = (key: string, error: { issues: readonly { path: PropertyKey[]; message: string }[] }) => {
  const issue = error.issues[0];
  const at = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return { param: `${key}${at}`, message: issue?.message ?? 'invalid value' };
};

export class ElectronSettingsStore implements WritableSettingsSource {
  readonly #store: KeyValueStore;
  readonly #secrets: SecretCodec;
  readonly #baseDir: string;
  /** Built once: fresh default arrays on every change would look like changes to the core. */
  readonly #defaults: Settings;
  readonly #listeners = new Set<SettingsListener>();
  /** Saved, decoded and valid values. */
  #saved: Saved = {};
  /** Ciphertext we cannot read now (keyring away): kept on disk until the user replaces it. */
  #unreadable: Record<string, unknown> = {};
  #current: Settings;
  /** Problems found while loading; the composition root publishes them once the log bus exists. */
  readonly warnings: string[] = [];

  constructor(options: SettingsStoreOptions) {
    this.#store = options.store;
    this.#secrets = options.secrets;
    this.#baseDir = options.baseDir;
    this.#defaults = Object.freeze(settingsDefaults(options.mode ?? 'tray'));
    const rewrite = this.#load();
    this.#current = this.#effective(this.#saved);
    if (rewrite) this.#persist(this.#saved);
  }

  get(): Settings {
    return this.#current;
  }

  subscribe(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Saved secrets that could not be decrypted at load (keyring locked, Keychain prompt denied, DPAPI
   * keys lost) and have not been replaced or reset since: their defaults apply meanwhile, which for a
   * password is no protection, so the composition root decides what must not run without them.
   */
  unreadableKeys(): readonly SettingKey[] {
    return Object.keys(this.#unreadable).filter(isSettingKey);
  }

  originOf(key: SettingKey): SettingOrigin {
    return Object.hasOwn(this.#saved, key) ? 'saved' : 'default';
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const values = parseSettingsPatch(patch);
    const next: Saved = { ...this.#saved, ...values };
    const effective = this.#effective(next);
    this.#persist(next, Object.keys(values));
    this.#apply(next, effective);
    return this.#current;
  }

  async reset(keys: readonly SettingKey[]): Promise<Settings> {
    const next: Saved = { ...this.#saved };
    for (const key of keys) delete next[key];
    this.#persist(next, keys);
    this.#apply(next, this.#effective(next));
    return this.#current;
  }

  /** Reads and checks the saved values; true when the file should be rewritten (plain → encrypted). */
  #load(): boolean {
    const raw = this.#store.get(SETTINGS_KEY);
    if (raw === undefined) return false;
    if (!isRecord(raw)) {
      this.warnings.push(`The saved settings in ${this.#store.path} are not an object; defaults apply.`);
      return false;
    }
    let rewrite = false;
    for (const [key, stored] of Object.entries(raw)) {
      if (!isSettingKey(key)) {
        // Perhaps written by a newer version: left alone (it is dropped at the next save).
        this.warnings.push(`Ignoring the unknown saved setting '${key}'.`);
        continue;
      }
      let value = stored;
      if (isSecret(key)) {
        const decoded = this.#secrets.decode(stored);
        if (!decoded.ok) {
          this.#unreadable[key] = stored;
          this.warnings.push(
            `The saved ${settingSpecs[key].label.en} is ignored: ${decoded.reason}. The default applies.`,
          );
          continue;
        }
        value = decoded.value;
        if (this.#secrets.encrypting && !this.#secrets.isEncoded(stored)) rewrite = true;
      }
      const parsed = settingSpecs[key].schema.safeParse(value);
      if (!parsed.success) {
        const { param, message } = issueText(key, parsed.error);
        // The value itself is not logged: it may be a secret.
        this.warnings.push(`The saved value of '${param}' is invalid (${message}); the default applies.`);
        continue;
      }
      this.#saved[key] = parsed.data;
    }
    return rewrite;
  }

  #effective(saved: Saved): Settings {
    const merged = { ...this.#defaults, ...saved } as Settings;
    const inBase = (dir: string) => (isAbsolute(dir) ? dir : resolve(this.#baseDir, dir));
    merged.dataDir = inBase(merged.dataDir);
    if (merged.imageStorageDir !== '') merged.imageStorageDir = inBase(merged.imageStorageDir);
    assertCompleteSettings(merged);
    // The parsed copy would lose reference equality for unchanged arrays; the merged object keeps it.
    return Object.freeze(merged);
  }

  /** Writes the saved values, secrets encoded; `replaced` keys lose any unreadable ciphertext. */
  #persist(saved: Saved, replaced: readonly string[] = []): void {
    const unreadable = Object.fromEntries(
      Object.entries(this.#unreadable).filter(([key]) => !replaced.includes(key)),
    );
    const out: Record<string, unknown> = { ...unreadable };
    for (const [key, value] of Object.entries(saved) as [SettingKey, unknown][]) {
      out[key] = isSecret(key) ? this.#secrets.encode(value) : value;
    }
    this.#store.set(SETTINGS_KEY, out); // throws on a failed write: nothing below changes then
    this.#unreadable = unreadable;
  }

  #apply(saved: Saved, effective: Settings): void {
    const previous = this.#current;
    this.#saved = saved;
    this.#current = effective;
    for (const listener of this.#listeners) listener(this.#current, previous);
  }
}
