/**
 * Entry point of the Electron main process (bundled to dist/electron/main.cjs). The only place of the
 * tray app that reads process.env; everything else is in desktop-app.ts.
 */
import { app, dialog } from 'electron';
import { createAdminService } from '../server/admin/admin-service';
import { limitHeapGrowth } from '../server/heap-growth';
import { startDesktopApp } from './desktop-app';
import { devServerUrlOf } from './dev-server-url';
import { launchExecutable } from './launch-at-login';

// The gateway runs in this process: the same heap policy as headless (heap-growth.ts).
limitHeapGrowth(process.execArgv);

// Ignored by the packaged app (dev-server-url.ts).
const devServerUrl = devServerUrlOf(process.env, app.isPackaged);

startDesktopApp({
  createAdmin: createAdminService,
  ...(devServerUrl ? { devServerUrl } : {}),
  executable: launchExecutable(process.env, process.platform, process.execPath),
}).catch((err: unknown) => {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`Gemgate failed to start: ${message}\n`);
  // Started from a menu there is no console: the error box is the only place the user can read it.
  dialog.showErrorBox('Gemgate could not start', message);
  app.exit(1);
});
