/**
 * Opens the settings file with electron-store (`<userData>/settings.json`, atomic writes, migrations
 * by format version). Kept apart and imported lazily: electron-store imports `electron` at load time,
 * which outside Electron tries to download a binary, so tests open the same options with conf.
 */
import { app, ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import { openSettingsFile, settingsFileIn, type SettingsFileEvents } from './settings-file';
import { STORE_NAME, storeOptions } from './settings-migrations';
import type { KeyValueStore } from './settings-store';

export function openElectronStore(events: SettingsFileEvents): KeyValueStore {
  // electron-store's default folder, given explicitly: the path a damaged file is set aside from is
  // then the one it opens by construction.
  const dir = app.getPath('userData');
  const store = openSettingsFile(
    settingsFileIn(dir),
    () =>
      new ElectronStore<Record<string, unknown>>({
        name: STORE_NAME,
        cwd: dir,
        ...storeOptions(events.onMigration),
      }),
    events.onSetAside,
  );
  // electron-store answers any renderer that asks for the userData path and app version on a sync
  // IPC channel. Our renderer never needs it (it has no ipcRenderer at all), so the channel goes.
  ipcMain.removeAllListeners('electron-store-get-data');
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    path: store.path,
  };
}
