/**
 * The settings file as the shell sees it, without Electron: `conf` (what electron-store wraps) with the
 * shell's own options and migrations, in a test folder, opened through the same damaged-file handling.
 */
import Conf from 'conf';
import type { KeyValueStore } from '../../main/electron/settings-store';
import { openSettingsFile, settingsFileIn, type SettingsFileEvents } from '../../main/electron/settings-file';
import { STORE_NAME, storeOptions } from '../../main/electron/settings-migrations';

const ignore: SettingsFileEvents = { onMigration: () => undefined, onSetAside: () => undefined };

export function openConfStore(dir: string, events: SettingsFileEvents = ignore): KeyValueStore {
  const conf = openSettingsFile(
    settingsFileIn(dir),
    () =>
      new Conf<Record<string, unknown>>({
        projectName: 'gemgate-test',
        cwd: dir,
        configName: STORE_NAME,
        ...storeOptions(events.onMigration),
      }),
    events.onSetAside,
  );
  return { get: (k) => conf.get(k), set: (k, v) => conf.set(k, v), path: conf.path };
}
