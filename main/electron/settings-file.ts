/**
 * Opening the settings file without letting a damaged one stop the app. conf (inside electron-store)
 * throws a SyntaxError from its constructor when the file is not JSON (cut short by a crash or a full
 * disk, emptied, overwritten with garbage) or holds no object (`parseSettingsJson`). Since
 * `clearInvalidConfig` is off (it would wipe the file silently), every launch would then end in
 * "Gemgate could not start". Instead the file is renamed aside, its bytes kept for the user to
 * recover values from, and opened again: no file, so the defaults. Only a SyntaxError means
 * "damaged"; any other failure (permissions, a folder in the way) still stops the start, with its
 * own message.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_NAME } from './settings-migrations';

/** What opening the file reports; the composition root logs it once the log bus exists. */
export interface SettingsFileEvents {
  onMigration: (from: string, to: string) => void;
  /**
   * The damaged file was renamed from `damaged` to `keptAs`; the defaults apply. The parse error is
   * not passed on: V8 quotes the file's text in it, which may hold a secret in plain text.
   */
  onSetAside: (damaged: string, keptAs: string) => void;
}

/** The file electron-store (cwd: userData) and conf (the tests' cwd) open in `dir`. */
export const settingsFileIn = (dir: string): string => join(dir, `${STORE_NAME}.json`);

/**
 * `settings.json.damaged-2030-01-02T030405.678Z`: no colons (Windows forbids them in names); a
 * counter if that name is taken. The single-instance lock means no other Gemgate races for it.
 */
const asideNameFor = (path: string, now: Date): string => {
  const base = `${path}.damaged-${now.toISOString().replaceAll(':', '')}`;
  let name = base;
  for (let n = 2; existsSync(name); n++) name = `${base}-${n}`;
  return name;
};

const isSyntaxError = (err: unknown): boolean => err instanceof Error && err.name === 'SyntaxError';

/** `open()` builds the store on `path`; a damaged file there is set aside once and `open()` retried. */
export function openSettingsFile<T>(
  path: string,
  open: () => T,
  onSetAside: SettingsFileEvents['onSetAside'],
  now: () => Date = () => new Date(),
): T {
  try {
    return open();
  } catch (err) {
    if (!isSyntaxError(err) || !existsSync(path)) throw err;
  }
  const keptAs = asideNameFor(path, now());
  renameSync(path, keptAs);
  onSetAside(path, keptAs);
  return open();
}
