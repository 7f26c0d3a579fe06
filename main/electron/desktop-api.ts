/**
 * The desktop-only actions of the window (shared/admin-transport.ts `DesktopApi`): things a web page
 * cannot do — start/stop the listener, open the image folder or a link in the OS, launch at login.
 * Arguments arrive already validated by ipc.ts.
 */
import { mkdirSync } from 'node:fs';
import { shell } from 'electron';
import type { DesktopApi } from '../../shared/admin-transport';
import type { Settings } from '../../shared/settings-schema';
import { ApiError } from '../server/errors';
import { imageDirOf } from '../server/images/create-image-store';
import type { LaunchAtLogin } from './launch-at-login';
import type { ServerHost } from './server-host';

export interface DesktopApiDeps {
  host: Pick<ServerHost, 'start' | 'stop'>;
  settings: { get(): Settings };
  launch: LaunchAtLogin;
  /** The tray shows the launch-at-login checkbox: it must follow a change made in the window. */
  onLaunchAtLoginChanged: () => void;
}

export function createDesktopApi(deps: DesktopApiDeps): DesktopApi {
  return {
    async startServer() {
      await deps.host.start();
    },
    async stopServer() {
      await deps.host.stop();
    },
    async openImageFolder() {
      const folder = imageDirOf(deps.settings.get());
      mkdirSync(folder, { recursive: true });
      const problem = await shell.openPath(folder);
      if (problem) throw new ApiError('internal_error', `Cannot open ${folder}: ${problem}`);
    },
    async openExternal(url) {
      await shell.openExternal(url);
    },
    async getLaunchAtLogin() {
      return deps.launch.get();
    },
    async setLaunchAtLogin(enabled) {
      deps.launch.set(enabled);
      deps.onLaunchAtLoginChanged();
    },
  };
}
