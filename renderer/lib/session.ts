/**
 * The web admin's session token, kept in sessionStorage: it ends with the tab, and a token past its
 * expiry is dropped before use instead of provoking a 401 first.
 */
import type { AdminSession } from '../../shared/admin-contract';

export interface KeyValueStorage {
  getItem: (key: string) => string | null;
  setItem: (key: string, value: string) => void;
  removeItem: (key: string) => void;
}

export const SESSION_STORAGE_KEY = 'gemgate.admin.session';

export interface SessionStore {
  token: () => string | null;
  save: (session: AdminSession) => void;
  clear: () => void;
}

export function createSessionStore(storage: KeyValueStorage, now: () => number = Date.now): SessionStore {
  const clear = () => storage.removeItem(SESSION_STORAGE_KEY);
  return {
    token() {
      const raw = storage.getItem(SESSION_STORAGE_KEY);
      if (raw === null) return null;
      try {
        const s = JSON.parse(raw) as Partial<AdminSession>;
        if (typeof s.token === 'string' && typeof s.expiresAt === 'number' && s.expiresAt > now())
          return s.token;
      } catch {
        // A corrupt entry is treated like an expired one.
      }
      clear();
      return null;
    },
    save(session) {
      storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    },
    clear,
  };
}
