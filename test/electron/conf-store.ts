/**
 * The settings file as the shell sees it, without Electron: `conf` (what electron-store wraps) with the
 * shell's own options and migrations, in a test folder.
 */
import Conf from 'conf';
import type { KeyValueStore } from '../../main/electron/settings-store';
import { STORE_NAME, storeOptions } from '../../main/electron/settings-migrations';

export function openConfStore(dir: string): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'gemgate-test',
    cwd: dir,
    configName: STORE_NAME,
    ...storeOptions(),
  });
  return { get: (k) => conf.get(k), set: (k, v) => conf.set(k, v), path: conf.path };
}
