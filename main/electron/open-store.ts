/**
 * Opens the settings file with electron-store (`<userData>/settings.json`, atomic writes, migrations
 * by format version). Kept apart and imported lazily: electron-store imports `electron` at load time,
 * which outside Electron tries to download a binary, so tests open the same options with conf.
 */
import { ipcMain } from 'electron';
import ElectronStore from 'electron-store';
import { STORE_NAME, storeOptions } from './settings-migrations';
import type { KeyValueStore } from './settings-store';

export function openElectronStore(onMigration: (from: string, to: string) => void): KeyValueStore {
  const store = new ElectronStore<Record<string, unknown>>({
    name: STORE_NAME,
    ...storeOptions(),
    beforeEachMigration: (_store, context) => onMigration(context.fromVersion, context.toVersion),
  });
  // electron-store answers any renderer that asks for the userData path and app version on a sync
  // IPC channel. Our renderer never needs it (it has no ipcRenderer at all), so the channel goes.
  ipcMain.removeAllListeners('electron-store-get-data');
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    path: store.path,
  };
}
