/**
 * The window's one door to the core (DESIGN §1): the AdminApi contract plus the live log
 * subscription, over IPC inside Electron (when the preload exposed `window.gemgate`) and over
 * fetch + SSE against /admin/api in the headless web admin. Pages never know which.
 */
import type { AdminApi, SubscribeLogs } from '../../shared/admin-contract';
import { ADMIN_LOG_STREAM_PATH, type DesktopApi } from '../../shared/admin-transport';
import { apiBaseOf, createHttpAdmin, login, logout, type FetchLike } from './api-http';
import { createIpcAdmin, ipcError, type GemgateBridge } from './api-ipc';
import { subscribeLogStream, type OpenEventSource } from './log-stream';
import { createSessionStore, type KeyValueStorage } from './session';

export { AdminError, errorMessage, isUnauthorized } from './admin-error';
export type { AdminApi } from '../../shared/admin-contract';

/** Sign-in of the web admin (absent in Electron, where the IPC channel needs none). */
export interface HttpAuth {
  signedIn: () => boolean;
  login: (password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Signed out by logout(), or a call found the session gone (expired, revoked, password changed). */
  onSignedOut: (listener: (reason: 'logout' | 'expired') => void) => () => void;
}

export interface Transport {
  kind: 'ipc' | 'http';
  admin: AdminApi;
  subscribeLogs: SubscribeLogs;
  /** Desktop-only actions (open the image folder…); null in the browser. */
  desktop: DesktopApi | null;
  auth: HttpAuth | null;
}

/** What the browser provides; main.tsx passes the real objects, tests fakes. */
export interface BrowserEnv {
  bridge: GemgateBridge | undefined;
  fetch: FetchLike;
  storage: KeyValueStorage;
  pathname: string;
  openEventSource: OpenEventSource;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

function ipcTransport(bridge: GemgateBridge): Transport {
  // Desktop actions get the same error mapping as the contract (called on the bridge object).
  const desktopMethods = bridge.desktop as unknown as Record<
    keyof DesktopApi,
    (...a: unknown[]) => Promise<unknown>
  >;
  const desktop = Object.fromEntries(
    Object.keys(bridge.desktop).map((name) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await desktopMethods[name as keyof DesktopApi](...args);
        } catch (err) {
          throw ipcError(err);
        }
      },
    ]),
  ) as unknown as DesktopApi;
  return {
    kind: 'ipc',
    admin: createIpcAdmin(bridge),
    subscribeLogs: (listener) => bridge.onLog(listener),
    desktop,
    auth: null,
  };
}

function httpTransport(env: BrowserEnv): Transport {
  const base = apiBaseOf(env.pathname);
  const session = createSessionStore(env.storage);
  const signedOutListeners = new Set<(reason: 'logout' | 'expired') => void>();
  const signOut = (reason: 'logout' | 'expired') => {
    session.clear();
    signedOutListeners.forEach((l) => l(reason));
  };
  const admin = createHttpAdmin({
    base,
    fetch: env.fetch,
    token: () => session.token(),
    onUnauthorized: () => signOut('expired'),
  });

  const subscribeLogs: SubscribeLogs = (listener, onConnection) =>
    subscribeLogStream(
      {
        url: () => {
          const token = session.token();
          return token === null ? null : `${base}${ADMIN_LOG_STREAM_PATH}?token=${encodeURIComponent(token)}`;
        },
        open: env.openEventSource,
        backfill: (afterId) => admin.getLogs(afterId),
        checkSession: () => admin.getStatus(),
        setTimeout: env.setTimeout,
        clearTimeout: env.clearTimeout,
      },
      listener,
      onConnection,
    );

  const auth: HttpAuth = {
    signedIn: () => session.token() !== null,
    async login(password) {
      session.save(await login(env.fetch, base, password));
    },
    async logout() {
      const token = session.token();
      signOut('logout');
      // Ending the session on the server is a courtesy: the local token is gone either way.
      if (token !== null) await logout(env.fetch, base, token).catch(() => undefined);
    },
    onSignedOut(listener) {
      signedOutListeners.add(listener);
      return () => void signedOutListeners.delete(listener);
    },
  };
  return { kind: 'http', admin, subscribeLogs, desktop: null, auth };
}

export const createTransport = (env: BrowserEnv): Transport =>
  env.bridge ? ipcTransport(env.bridge) : httpTransport(env);
