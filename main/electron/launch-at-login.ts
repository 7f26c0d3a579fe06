/**
 * "Launch at login". macOS and Windows have it built in (app.setLoginItemSettings); Linux has no
 * such API in Electron, so there it is an XDG autostart entry (~/.config/autostart/gemgate.desktop),
 * which GNOME, KDE, Xfce and the others honour. A login launch passes --hidden: the app then starts
 * in the tray without opening its window.
 *
 * What the menu shows is what happens at the next login: an entry the user turned off elsewhere
 * (Task Manager's Startup tab on Windows, the desktop's session settings on Linux) or one that starts
 * another copy of the program (the AppImage was moved) reads as off, and turning it on repairs it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The program to start: see `launchExecutable`. */
  executable: string;
  /** The XDG config folder ($XDG_CONFIG_HOME or ~/.config). */
  configHome: string;
}

/**
 * The file the user started, which is not always process.execPath: an AppImage runs from a temporary
 * mount ($APPIMAGE is the file), and electron-builder's Windows portable exe unpacks itself into a
 * temporary folder ($PORTABLE_EXECUTABLE_FILE is the exe). A login item must point at the file itself.
 */
export function launchExecutable(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  execPath: string,
): string {
  if (platform === 'linux' && env.APPIMAGE) return env.APPIMAGE;
  if (platform === 'win32' && env.PORTABLE_EXECUTABLE_FILE) return env.PORTABLE_EXECUTABLE_FILE;
  return execPath;
}

/**
 * The Exec value per the Desktop Entry spec: the path quoted with `"`, `` ` ``, `$` and `\` escaped by a
 * backslash, then the string-value escaping doubles every backslash (so `$` is written `\\$`), and a
 * literal `%` is `%%` (field codes).
 */
const execLine = (executable: string) => {
  const quoted = executable
    .replace(/(["`$\\])/g, '\\$1')
    .replace(/\\/g, '\\\\')
    .replace(/%/g, '%%');
  return `Exec="${quoted}" ${HIDDEN_ARG}`;
};

const desktopEntry = (executable: string) =>
  [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Gemgate',
    'Comment=Gemini API gateway in the system tray',
    execLine(executable),
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');

/** Our entry, still starting this program, and not switched off (Hidden / the GNOME key). */
const entryIsActive = (text: string, executable: string): boolean => {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  return (
    lines.includes(execLine(executable)) &&
    !lines.some((line) => /^Hidden\s*=\s*true$/i.test(line)) &&
    !lines.some((line) => /^X-GNOME-Autostart-enabled\s*=\s*false$/i.test(line))
  );
};

export function createLaunchAtLogin(deps: LaunchAtLoginDeps): LaunchAtLogin {
  const { app, platform, executable } = deps;
  const autostartFile = join(deps.configHome, 'autostart', 'gemgate.desktop');

  if (platform === 'linux') {
    return {
      get: () => existsSync(autostartFile) && entryIsActive(readFileSync(autostartFile, 'utf8'), executable),
      set(enabled) {
        if (!enabled) {
          rmSync(autostartFile, { force: true });
          return;
        }
        mkdirSync(join(deps.configHome, 'autostart'), { recursive: true });
        writeFileSync(autostartFile, desktopEntry(executable));
      },
      launchedAtLogin: (argv) => argv.includes(HIDDEN_ARG),
    };
  }
  if (platform === 'win32') {
    // Windows keys the Run entry by path and arguments: it is read back with the same ones.
    const item = { path: executable, args: [HIDDEN_ARG] };
    return {
      get() {
        const settings = app.getLoginItemSettings(item);
        // openAtLogin only says the Run entry exists; switched off in Task Manager it does not run.
        return settings.openAtLogin && settings.executableWillLaunchAtLogin;
      },
      set(enabled) {
        // `enabled` (default true) also clears a Task Manager "Disabled" left from before.
        app.setLoginItemSettings({ openAtLogin: enabled, ...item });
      },
      launchedAtLogin: (argv) => argv.includes(HIDDEN_ARG),
    };
  }
  return {
    get: () => app.getLoginItemSettings().openAtLogin,
    set(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled });
    },
    launchedAtLogin: (argv) =>
      argv.includes(HIDDEN_ARG) || (platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin),
  };
}
