/** Launch at login: Electron's login items on macOS/Windows, an XDG autostart entry on Linux. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLaunchAtLogin, HIDDEN_ARG } from '../../main/electron/launch-at-login';

vi.mock('electron', () => import('./fake-electron'));
const { fake, app } = await import('./fake-electron');

let configHome: string;
beforeEach(() => {
  fake.reset();
  configHome = mkdtempSync(join(tmpdir(), 'gemgate-xdg-'));
});
afterEach(() => rmSync(configHome, { recursive: true, force: true }));

describe('launch at login', () => {
  it('Windows: a login item with --hidden, queried with the same arguments', () => {
    const login = createLaunchAtLogin({
      app: app as never,
      platform: 'win32',
      executable: 'C:\\Gemgate.exe',
      configHome,
    });
    expect(login.get()).toBe(false);
    login.set(true);
    expect(fake.loginItem).toEqual({ openAtLogin: true, args: [HIDDEN_ARG] });
    expect(login.get()).toBe(true);
    expect(fake.loginItemQueries.at(-1)).toEqual({ args: [HIDDEN_ARG] });
    expect(login.launchedAtLogin(['Gemgate.exe', HIDDEN_ARG])).toBe(true);
    expect(login.launchedAtLogin(['Gemgate.exe'])).toBe(false);
  });

  it('macOS: a login item', () => {
    const login = createLaunchAtLogin({
      app: app as never,
      platform: 'darwin',
      executable: '/Applications/Gemgate.app',
      configHome,
    });
    login.set(true);
    expect(fake.loginItem).toEqual({ openAtLogin: true });
    login.set(false);
    expect(login.get()).toBe(false);
  });

  it('Linux: an autostart desktop entry that starts hidden, removed when turned off', () => {
    const login = createLaunchAtLogin({
      app: app as never,
      platform: 'linux',
      executable: '/opt/My Apps/Gemgate.AppImage',
      configHome,
    });
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
});
