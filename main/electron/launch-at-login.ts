/**
 * "Launch at login". macOS and Windows have it built in (app.setLoginItemSettings); Linux has no
 * such API in Electron, so there it is an XDG autostart entry (~/.config/autostart/gemgate.desktop),
 * which GNOME, KDE, Xfce and the others honour. A login launch passes --hidden: the app then starts
 * in the tray without opening its window.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'electron';

export const HIDDEN_ARG = '--hidden';

export interface LaunchAtLogin {
  get(): boolean;
  set(enabled: boolean): void;
  /** Whether this launch came from the login item (so the window stays closed). */
  launchedAtLogin(argv: readonly string[]): boolean;
}

export interface LaunchAtLoginDeps {
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;
  platform: NodeJS.Platform;
  /** The program to start: process.execPath, or $APPIMAGE for an AppImage (execPath is temporary). */
  executable: string;
  /** The XDG config folder ($XDG_CONFIG_HOME or ~/.config). */
  configHome: string;
}

/** Quoting per the Desktop Entry spec: the path may contain spaces. */
const desktopEntry = (executable: string) =>
  [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Gemgate',
    'Comment=Gemini API gateway in the system tray',
    `Exec="${executable.replace(/(["`$\\])/g, '\\$1')}" ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');

export function createLaunchAtLogin(deps: LaunchAtLoginDeps): LaunchAtLogin {
  const { app, platform } = deps;
  const autostartFile = join(deps.configHome, 'autostart', 'gemgate.desktop');

  if (platform === 'linux') {
    return {
      get: () => existsSync(autostartFile),
      set(enabled) {
        if (!enabled) {
          rmSync(autostartFile, { force: true });
          return;
        }
        mkdirSync(join(deps.configHome, 'autostart'), { recursive: true });
        writeFileSync(autostartFile, desktopEntry(deps.executable));
      },
      launchedAtLogin: (argv) => argv.includes(HIDDEN_ARG),
    };
  }
  const loginArgs = { args: [HIDDEN_ARG] };
  return {
    // Windows keys the entry by path and arguments: ask with the same ones it was set with.
    get: () => app.getLoginItemSettings(platform === 'win32' ? loginArgs : undefined).openAtLogin,
    set(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled, ...(platform === 'win32' ? loginArgs : {}) });
    },
    launchedAtLogin: (argv) =>
      argv.includes(HIDDEN_ARG) || (platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin),
  };
}
