/** Launch at login: Electron's login items on macOS/Windows, an XDG autostart entry on Linux. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLaunchAtLogin, HIDDEN_ARG, launchExecutable } from '../../main/electron/launch-at-login';

vi.mock('electron', () => import('./fake-electron'));
const { fake, app } = await import('./fake-electron');

let configHome: string;
const make = (platform: NodeJS.Platform, executable: string) =>
  createLaunchAtLogin({ app: app as never, platform, executable, configHome });
beforeEach(() => {
  fake.reset();
  configHome = mkdtempSync(join(tmpdir(), 'gemgate-xdg-'));
});
afterEach(() => rmSync(configHome, { recursive: true, force: true }));

describe('launch at login', () => {
  it('Windows: a login item with --hidden, queried with the same arguments', () => {
    const login = make('win32', 'C:\\Gemgate.exe');
    expect(login.get()).toBe(false);
    login.set(true);
    expect(fake.loginItem).toEqual({ openAtLogin: true, path: 'C:\\Gemgate.exe', args: [HIDDEN_ARG] });
    expect(login.get()).toBe(true);
    expect(fake.loginItemQueries.at(-1)).toEqual({ path: 'C:\\Gemgate.exe', args: [HIDDEN_ARG] });
    expect(login.launchedAtLogin(['Gemgate.exe', HIDDEN_ARG])).toBe(true);
    expect(login.launchedAtLogin(['Gemgate.exe'])).toBe(false);
  });

  it('macOS: a login item', () => {
    const login = make('darwin', '/Applications/Gemgate.app');
    login.set(true);
    expect(fake.loginItem).toEqual({ openAtLogin: true });
    login.set(false);
    expect(login.get()).toBe(false);
  });

  it('Linux: an autostart desktop entry that starts hidden, removed when turned off', () => {
    const login = make('linux', '/opt/My Apps/Gemgate.AppImage');
    expect(login.get()).toBe(false);
    login.set(true);
    const file = join(configHome, 'autostart', 'gemgate.desktop');
    expect(login.get()).toBe(true);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain(`Exec="/opt/My Apps/Gemgate.AppImage" ${HIDDEN_ARG}`);
    login.set(false);
    expect(existsSync(file)).toBe(false);
    expect(login.get()).toBe(false);
    expect(fake.loginItem).toEqual({ openAtLogin: false }); // Electron's API untouched on Linux
  });

  it('Windows portable: the login item starts the portable exe, not its temporary unpacked copy', () => {
    const portable = 'D:\\Tools\\Gemgate-0.1.0-portable.exe';
    const env = { PORTABLE_EXECUTABLE_FILE: portable };
    const temp = 'C:\\Users\\me\\AppData\\Local\\Temp\\2kXk9\\Gemgate.exe';
    expect(launchExecutable(env, 'win32', temp)).toBe(portable);
    expect(launchExecutable({}, 'win32', temp)).toBe(temp);
    expect(
      launchExecutable({ APPIMAGE: '/home/me/Gemgate.AppImage' }, 'linux', '/tmp/.mount_Gem/gemgate'),
    ).toBe('/home/me/Gemgate.AppImage');
    fake.execPath = temp;
    const login = make('win32', portable);
    login.set(true);
    expect(fake.loginItem.path).toBe(portable);
    expect(login.get()).toBe(true);
  });

  it('Windows: an entry switched off in Task Manager reads as off; turning it on enables it again', () => {
    const login = make('win32', 'C:\\Gemgate.exe');
    login.set(true);
    fake.loginItemApproved = false; // Task Manager → Startup apps → Gemgate → Disable
    expect(login.get()).toBe(false);
    login.set(true);
    expect(login.get()).toBe(true);
  });

  it('Linux: the Exec line follows the Desktop Entry escaping rules', () => {
    const login = make('linux', '/home/me/100% $HOME/a"b\\c/Gemgate.AppImage');
    login.set(true);
    const entry = readFileSync(join(configHome, 'autostart', 'gemgate.desktop'), 'utf8');
    // Quoting escapes " $ \ with a backslash; string escaping then doubles every backslash; % is %%.
    expect(entry).toContain(String.raw`Exec="/home/me/100%% \\$HOME/a\\"b\\\\c/Gemgate.AppImage" --hidden`);
    expect(login.get()).toBe(true);
  });

  it('Linux: an entry switched off in the session settings, or starting another copy, reads as off', () => {
    const file = join(configHome, 'autostart', 'gemgate.desktop');
    const login = make('linux', '/opt/Gemgate/gemgate');
    login.set(true);
    const entry = readFileSync(file, 'utf8');
    writeFileSync(file, `${entry}Hidden=true\n`); // Xfce / KDE: unticked in the startup list
    expect(login.get()).toBe(false);
    writeFileSync(file, entry.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(login.get()).toBe(false);
    writeFileSync(file, entry.replace('/opt/Gemgate/gemgate', '/home/me/Old/Gemgate.AppImage'));
    expect(login.get()).toBe(false);
    login.set(true);
    expect(login.get()).toBe(true);
  });
});
