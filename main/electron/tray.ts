/**
 * The tray icon: an image per server status (black-with-alpha templates in the macOS menu bar,
 * colour badges elsewhere), a tooltip with the status line, and the menu of tray-menu.ts, all
 * rebuilt whenever the status changes.
 */
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import {
  buildTrayMenu,
  statusLine,
  trayIconState,
  type TrayActions,
  type TrayIconState,
  type TrayStatus,
} from './tray-menu';
import type { ShellText } from './tray-i18n';

export interface TrayOptions {
  /** build/tray in development, <resources>/tray when packaged (electron-builder extraResources). */
  iconDir: string;
  platform: NodeJS.Platform;
  text: ShellText;
  actions: TrayActions;
  /**
   * A left click on the icon opens the window where the click reaches the app: Windows (the menu is on
   * right click) and Linux hosts that send the item's Activate (KDE Plasma and others; hosts that open
   * the menu on left click send nothing). macOS opens the menu on any click.
   */
  onClick(): void;
}

export interface TrayController {
  update(status: TrayStatus): void;
  destroy(): void;
}

export function trayIconFile(iconDir: string, platform: NodeJS.Platform, state: TrayIconState): string {
  if (platform === 'darwin') {
    // The "Template" suffix makes macOS tint it for light/dark menu bars; @2x is picked up alongside.
    return join(iconDir, state === 'running' ? 'iconTemplate.png' : `icon-${state}Template.png`);
  }
  // Linux indicators scale one bitmap to the panel; Windows loads the @2x sibling on high-DPI screens.
  return join(iconDir, platform === 'linux' ? `tray-${state}-linux.png` : `tray-${state}.png`);
}

export function createTray(options: TrayOptions): TrayController {
  const image = (state: TrayIconState) => {
    const img = nativeImage.createFromPath(trayIconFile(options.iconDir, options.platform, state));
    if (options.platform === 'darwin') img.setTemplateImage(true);
    return img;
  };
  const tray = new Tray(image('stopped'));
  if (options.platform !== 'darwin') tray.on('click', () => options.onClick());
  let shown: TrayIconState = 'stopped';

  return {
    update(status) {
      const state = trayIconState(status);
      if (state !== shown) {
        tray.setImage(image(state));
        shown = state;
      }
      tray.setToolTip(options.text.tooltip(statusLine(status, options.text)));
      tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(status, options.text, options.actions)));
    },
    destroy() {
      tray.destroy();
    },
  };
}
