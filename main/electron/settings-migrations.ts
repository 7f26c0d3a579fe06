/**
 * The tray's settings file format and its migrations (electron-store / conf run them once, in version
 * order, before the first read). The format has its own version, independent of the app version: the
 * file changes far less often than the app, and a migration must not depend on how releases are
 * numbered.
 */

/** The electron-store file: `<userData>/settings.json`. */
export const STORE_NAME = 'settings';
/** Key of the saved settings (only values the user saved; defaults are never written). */
export const SETTINGS_KEY = 'settings';
/** Key of the remembered window bounds. */
export const WINDOW_STATE_KEY = 'windowState';

export const SETTINGS_FORMAT_VERSION = '0.2.0';

/** What a migration may do to the store (conf hands it the store instance itself). */
export interface MigrationStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const settingsMigrations: Record<string, (store: MigrationStore) => void> = {
  /**
   * Format 0.1 (the development builds of the tray app) named the image backend `imageStorage`; the
   * schema, the headless JSON file and IMAGE_STORAGE_TYPE all call it `imageStorageType`. Without
   * this, a saved "qiniu" would silently fall back to the tray default ("local").
   * A value already saved under the new name wins.
   */
  '0.2.0': (store) => {
    const saved = store.get(SETTINGS_KEY);
    if (!isRecord(saved) || !('imageStorage' in saved)) return;
    const { imageStorage, ...rest } = saved;
    store.set(SETTINGS_KEY, 'imageStorageType' in rest ? rest : { ...rest, imageStorageType: imageStorage });
  },
};

/**
 * conf's reader. JSON.parse alone accepts `[]`, `"x"` or `null`, and conf would then silently turn
 * the file into `{}` (or `{"0":"x"}`) and overwrite it: a top level that is not an object is damage
 * too, and throws the SyntaxError a file that is not JSON throws (settings-file.ts sets it aside).
 * A UTF-8 byte order mark (Notepad on older Windows writes one) is not damage: it is skipped.
 */
export function parseSettingsJson(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!isRecord(value)) throw new SyntaxError('the settings file does not hold a JSON object');
  return value;
}

/** The options both electron-store (the app) and conf (the tests) are opened with. */
export const storeOptions = (onMigration: (from: string, to: string) => void) => ({
  projectVersion: SETTINGS_FORMAT_VERSION,
  migrations: settingsMigrations,
  beforeEachMigration: (_store: unknown, context: { fromVersion: string; toVersion: string }) =>
    onMigration(context.fromVersion, context.toVersion),
  // A damaged file must not be wiped (conf's clearInvalidConfig would lose every key): the settings
  // store validates each value itself and falls back per setting, and a file that cannot be read at
  // all is set aside whole (settings-file.ts).
  clearInvalidConfig: false,
  deserialize: parseSettingsJson,
});
