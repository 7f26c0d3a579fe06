/**
 * The tray menu as a pure function of the server status: rebuilt on every status change, and
 * testable without Electron (only its types are imported).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { listenFailureText } from '../../shared/listen-problem';
import type { ServerHostStatus } from './server-host';
import type { ShellText } from './tray-i18n';

export type TrayPage = 'dashboard' | 'logs' | 'gallery';
export type TrayIconState = 'running' | 'stopped' | 'error';

export interface TrayStatus extends ServerHostStatus {
  launchAtLogin: boolean;
}

export interface TrayActions {
  copyBaseUrl(): void;
  copyPassword(): void;
  openPage(page: TrayPage): void;
  startServer(): void;
  stopServer(): void;
  setLaunchAtLogin(enabled: boolean): void;
  quit(): void;
}

/** Error wins (a failed move still serves on the old port, but the user must see the failure). */
export const trayIconState = (status: ServerHostStatus): TrayIconState =>
  status.listenError !== null ? 'error' : status.listening !== null ? 'running' : 'stopped';

export const statusLine = (status: ServerHostStatus, text: ShellText): string => {
  const error = listenFailureText(status, text.listen);
  if (error !== null) return text.statusError(error);
  if (status.listening !== null) return text.statusRunning(status.listening.baseUrl.replace(/\/v1$/, ''));
  return status.state === 'starting' ? text.statusStarting : text.statusStopped;
};

export function buildTrayMenu(
  status: TrayStatus,
  text: ShellText,
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const listening = status.listening !== null;
  return [
    { id: 'status', label: statusLine(status, text), enabled: false },
    { type: 'separator' },
    { id: 'copy-base-url', label: text.copyBaseUrl, enabled: listening, click: () => actions.copyBaseUrl() },
    { id: 'copy-password', label: text.copyPassword, click: () => actions.copyPassword() },
    { type: 'separator' },
    { id: 'open-dashboard', label: text.openDashboard, click: () => actions.openPage('dashboard') },
    { id: 'open-logs', label: text.openLogs, click: () => actions.openPage('logs') },
    { id: 'open-gallery', label: text.openGallery, click: () => actions.openPage('gallery') },
    { type: 'separator' },
    listening
      ? { id: 'toggle-server', label: text.stopServer, click: () => actions.stopServer() }
      : {
          id: 'toggle-server',
          label: text.startServer,
          enabled: status.state !== 'starting',
          click: () => actions.startServer(),
        },
    {
      id: 'launch-at-login',
      label: text.launchAtLogin,
      type: 'checkbox',
      checked: status.launchAtLogin,
      // The menu item flips its own `checked` before the click: that new value is the wish.
      click: (item) => actions.setLaunchAtLogin(item.checked),
    },
    { type: 'separator' },
    { id: 'quit', label: text.quit, click: () => actions.quit() },
  ];
}
