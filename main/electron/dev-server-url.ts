/**
 * The page the window loads instead of the built renderer: `VITE_DEV_SERVER_URL`, set by the dev
 * script for hot reload. Honoured only in a development run. In the packaged app the window has the
 * preload and its trusted IPC (secrets revealed, settings written): an environment variable — set by
 * anything that can start the app, a shortcut, a login item — must not point that window, and the
 * trust that goes with it (ipc.ts), at a page on some other server.
 */
export function devServerUrlOf(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): string | undefined {
  if (isPackaged) return undefined;
  const url = env['VITE_DEV_SERVER_URL'];
  return url ? url : undefined;
}
