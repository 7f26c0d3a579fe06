/**
 * The headless WritableSettingsSource (issue "Headless" item 4). The effective value of a setting is
 * its default, replaced by its environment variable when one is set, replaced by the value saved in
 * the web admin when there is one: saved wins until it is reset in the admin, after which the
 * environment applies again. Only values changed in the admin are saved, so a later release can
 * change a default and a redeploy can change a variable the admin never touched.
 *
 * Saved values live in DATA_DIR/settings.json, replaced atomically (storage/atomic-file.ts: temp file,
 * fsync, rename) and created with mode 0600. Secrets saved in the admin are stored as given: headless
 * has no OS keychain to encrypt them with, so the owner-only file mode is their protection (the same
 * folder already holds the admin signing secret and the access-key hashes). The small `conf` package
 * was not used: it brings its own schema, migration and key-path conventions, where a JSON object
 * checked by the settings schema and written by our atomic helper is all this needs.
 *
 * Every saved value is checked with its setting's schema when the file is read: an invalid one is
 * ignored with a warning (never a crash, never its value in the warning); a file that is not JSON is
 * moved aside to settings.json.invalid so the next save cannot destroy what the user may want back.
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { settingKeys, settingSpecs, type SettingKey, type Settings } from '../../../shared/settings-schema';
import { ApiError } from '../errors';
import { writeFileAtomicSync } from '../storage/atomic-file';
import type { SettingsListener } from './settings-source';
import {
  assertCompleteSettings,
  isSettingKey,
  parseSettingValue,
  parseSettingsPatch,
  unknownSettingError,
} from './validate-setting';
import type { SettingOrigin, WritableSettingsSource } from './writable-settings';

export const SETTINGS_FILE = 'settings.json';
const FORMAT_VERSION = 1;

/**
 * Set by the deployment, never saved: DATA_DIR holds this very file, and the listen address belongs
 * to the container (Docker's port mapping, the 7860 Hugging Face routes to, --host/--port). A saved
 * port would win over PORT at the next start and could leave the gateway — and this admin — out of
 * reach with no way back but deleting the file.
 */
const ENVIRONMENT_ONLY: ReadonlySet<SettingKey> = new Set(
  settingKeys.filter((key) => settingSpecs[key].setByDeployment === true),
);

const environmentOnlyError = (key: SettingKey): ApiError =>
  new ApiError(
    'invalid_request',
    `'${key}' is set by the deployment on a headless gateway (${settingSpecs[key].env} or its command-line flag), not in the web admin: ${
      key === 'dataDir'
        ? 'the saved settings live in that folder'
        : 'a change here could leave the gateway unreachable'
    }.`,
    { param: key },
  );

type Saved = Partial<Record<SettingKey, unknown>>;

export interface FileSettingsOptions {
  /** The settings the environment gives, defaults filled in (parseSettingsFromEnv's result). */
  environment: Settings;
  /** The settings an environment variable actually set (environment-keys.ts). */
  fromEnvironment: readonly SettingKey[];
  /** DATA_DIR: where settings.json lives (it must exist). */
  dir: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const errorCode = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : String(err);

export class FileSettingsSource implements WritableSettingsSource {
  readonly path: string;
  /** Problems found while reading the file; the composition root logs them once the log bus exists. */
  readonly warnings: string[] = [];
  readonly #environment: Settings;
  readonly #fromEnvironment: ReadonlySet<SettingKey>;
  readonly #listeners = new Set<SettingsListener>();
  #saved: Saved;
  #current: Settings;

  constructor(options: FileSettingsOptions) {
    this.path = join(options.dir, SETTINGS_FILE);
    this.#environment = Object.freeze({ ...options.environment });
    this.#fromEnvironment = new Set(options.fromEnvironment);
    this.#saved = this.#load();
    this.#current = this.#effective(this.#saved);
  }

  get(): Settings {
    return this.#current;
  }

  subscribe(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  originOf(key: SettingKey): SettingOrigin {
    if (Object.hasOwn(this.#saved, key)) return 'saved';
    return this.#fromEnvironment.has(key) ? 'environment' : 'default';
  }

  environmentKeys(): readonly SettingKey[] {
    return [...this.#fromEnvironment];
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const values = parseSettingsPatch(patch, (key, value) => {
      if (!ENVIRONMENT_ONLY.has(key)) return true;
      // A client sending the whole form back is not asking for a change.
      if (JSON.stringify(value) === JSON.stringify(this.#current[key])) return false;
      throw environmentOnlyError(key);
    });
    return this.#commit({ ...this.#saved, ...values });
  }

  async reset(keys: readonly SettingKey[]): Promise<Settings> {
    const next: Saved = { ...this.#saved };
    for (const key of keys) {
      if (!isSettingKey(key)) throw unknownSettingError(String(key));
      delete next[key];
    }
    return this.#commit(next);
  }

  #commit(next: Saved): Settings {
    const effective = this.#effective(next);
    // Written first: a failed write (disk full) throws and changes nothing in memory either.
    writeFileAtomicSync(
      this.path,
      `${JSON.stringify({ version: FORMAT_VERSION, settings: next }, null, 2)}\n`,
    );
    const previous = this.#current;
    this.#saved = next;
    this.#current = effective;
    for (const listener of this.#listeners) listener(effective, previous);
    return effective;
  }

  #effective(saved: Saved): Settings {
    // Unchanged arrays keep their identity: the core compares references to spot changes.
    const merged = Object.freeze({ ...this.#environment, ...saved }) as Settings;
    assertCompleteSettings(merged);
    return merged;
  }

  #load(): Saved {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') {
        this.warnings.push(`${this.path} cannot be read (${errorCode(err)}); the environment applies.`);
      }
      return {};
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.#setAside('is not valid JSON');
    }
    if (!isRecord(raw) || !isRecord(raw.settings)) return this.#setAside('has no "settings" object');
    const saved: Saved = {};
    for (const [key, value] of Object.entries(raw.settings)) {
      if (!isSettingKey(key)) {
        this.warnings.push(`Ignoring the unknown saved setting '${key}' in ${this.path}.`);
        continue;
      }
      if (ENVIRONMENT_ONLY.has(key)) {
        this.warnings.push(`Ignoring the saved '${key}' in ${this.path}: only the deployment sets it.`);
        continue;
      }
      try {
        saved[key] = parseSettingValue(key, value);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        this.warnings.push(`The saved value is ignored, the environment or default applies: ${reason}`);
      }
    }
    return saved;
  }

  #setAside(reason: string): Saved {
    const aside = `${this.path}.invalid`;
    try {
      renameSync(this.path, aside);
      this.warnings.push(`${this.path} ${reason}; it was moved to ${aside} and the environment applies.`);
    } catch (err) {
      this.warnings.push(`${this.path} ${reason} (and could not be moved aside: ${errorCode(err)}).`);
    }
    return {};
  }
}
