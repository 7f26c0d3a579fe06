/**
 * The IPC transport of the admin contract, main side: one `handle` per AdminApi / DesktopApi method
 * (channel names from shared/admin-transport.ts). Each call is checked twice before it runs:
 *   1. the sender must be our window showing our page (a stray webContents, an iframe or a page the
 *      window was somehow navigated to gets nothing);
 *   2. the arguments must match the method's zod tuple (ipc-schemas.ts).
 * Results travel as an envelope, so an error reaches the preload with its code and status instead of
 * Electron's "Error invoking remote method …" text (and never with a stack trace).
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { z } from 'zod';
import type { AdminApi } from '../../shared/admin-contract';
import { desktopChannelOf, ipcChannelOf, type DesktopApi } from '../../shared/admin-transport';
import { ApiError, asApiError } from '../server/errors';
import { zodToApiError } from '../server/openai/parse-request';
import { adminArgs, adminMethods, desktopArgs, desktopMethods } from './ipc-schemas';

export interface IpcFailure {
  status: number;
  code: string;
  message: string;
}
export type IpcEnvelope = { ok: true; value: unknown } | { ok: false; error: IpcFailure };

export interface SenderCheck {
  /** The webContents of our window (null while it has none). */
  window(): WebContents | null;
  /** The page the window is meant to show: our file:// index.html, or the dev server. */
  rendererUrl: string;
  devServerUrl?: string;
}

/**
 * Chromium writes a file URL's drive letter in upper case (`file:///c:/x` → `file:///C:/x`), while
 * pathToFileURL keeps the case the exe was started with: compared as they are, every call would be
 * refused when Gemgate runs from a lower-case path.
 */
const upperDriveLetter = (pathname: string): string =>
  pathname.replace(/^\/([a-z]):/, (_all, letter: string) => `/${letter.toUpperCase()}:`);

/** file:///…/index.html#/logs and …?x are still our page; another file is not. */
const pageOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? `file://${u.host}${upperDriveLetter(u.pathname)}` : u.origin;
  } catch {
    return null;
  }
};

export function isTrustedSender(event: IpcMainInvokeEvent, check: SenderCheck): boolean {
  const ours = check.window();
  if (ours === null || event.sender !== ours) return false;
  const frame = event.senderFrame;
  // Only the top frame: an iframe, even one of our own origin, never gets the admin API.
  if (!frame || frame.parent !== null) return false;
  const page = pageOf(frame.url);
  if (page === null) return false;
  if (page === pageOf(check.rendererUrl)) return true;
  return check.devServerUrl !== undefined && page === pageOf(check.devServerUrl);
}

const failure = (err: ApiError): IpcEnvelope => ({
  ok: false,
  error: { status: err.status, code: err.code, message: err.message },
});

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  admin: AdminApi;
  desktop: DesktopApi;
  sender: SenderCheck;
  /** Where refused calls and internal errors are reported (the core's log bus). */
  log: { warn(message: string): unknown; error(message: string): unknown };
}

/** Registers every handler; returns a function that removes them again. */
export function registerIpc(deps: IpcDeps): () => void {
  const { ipcMain, sender, log } = deps;
  const channels: string[] = [];

  const serve = (channel: string, method: string, schema: z.ZodType<unknown[]>, target: object) => {
    channels.push(channel);
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcEnvelope> => {
      if (!isTrustedSender(event, sender)) {
        log.warn(
          `IPC ${channel} refused: the caller is not the Gemgate window (${event.senderFrame?.url ?? 'no frame'}).`,
        );
        // A plain rejection: a stranger learns nothing about the contract.
        throw new Error('Forbidden');
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) return failure(zodToApiError(parsed.error));
      const fn = (target as Record<string, unknown>)[method];
      if (typeof fn !== 'function') {
        return failure(new ApiError('not_found', `'${method}' is not available in this version.`));
      }
      try {
        return {
          ok: true,
          value: await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, parsed.data),
        };
      } catch (err) {
        const error = asApiError(err);
        if (error.status >= 500) {
          const cause = err instanceof Error ? (err.stack ?? err.message) : String(err);
          log.error(`IPC ${method} failed: ${cause}`);
        }
        return failure(error);
      }
    });
  };

  for (const method of adminMethods) {
    serve(ipcChannelOf(method), method, adminArgs[method], deps.admin);
  }
  for (const method of desktopMethods) {
    serve(desktopChannelOf(method), method, desktopArgs[method], deps.desktop);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
