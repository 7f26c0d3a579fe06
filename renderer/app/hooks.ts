/** Small hooks the pages share: loading data, ticking clocks, polling, running actions. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isUnauthorized } from '../lib/api';
import { errorText } from '../lib/error-text';
import { useI18n } from './context';
import { useToast } from './toast';

export interface Loaded<T> {
  data: T | undefined;
  /** The last load's failure; `data` is then what an earlier load got (stale), if any. */
  error: unknown;
  /** When `data` was loaded (Date.now()). */
  loadedAt: number | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData(update: (current: T | undefined) => T): void;
}

/** Loads on mount and when `deps` change; a late answer of an older load never wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; loadedAt?: number; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const id = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loadRef.current();
      if (id === generation.current) setState({ data, loadedAt: Date.now(), loading: false });
    } catch (error) {
      // The last data stays (a page keeps showing it, marked stale) until a load succeeds again.
      if (id === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, deps);

  // Answers arriving after unmount are dropped.
  useEffect(() => () => void (generation.current += 1), []);

  // An action's answer (a fresh list from the server) is current data: no longer stale.
  const setData = useCallback((update: (current: T | undefined) => T) => {
    setState((s) => ({ ...s, data: update(s.data), error: undefined, loadedAt: Date.now() }));
  }, []);

  return {
    data: state.data,
    error: state.error,
    loadedAt: state.loadedAt,
    loading: state.loading,
    reload,
    setData,
  };
}

/** The current time, refreshed every `ms` (countdowns, uptime, "5 minutes ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Calls `fn` every `ms` while the window is visible (a hidden tray window should not poll). */
export function usePolling(fn: () => unknown, ms: number): void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') fnRef.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/**
 * Runs a user action: `busy` names the running one (so only its button shows progress), failures
 * become an error toast (except a lost session: the login page takes over), success an optional one.
 */
export function useAction() {
  const notify = useToast();
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(
    async <T>(name: string, action: () => Promise<T>, success?: string): Promise<T | undefined> => {
      setBusy(name);
      try {
        const result = await action();
        if (success !== undefined) notify(success, 'success');
        return result;
      } catch (err) {
        if (!isUnauthorized(err)) notify(errorText(err, t), 'error');
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [notify, t],
  );
  return { busy, run };
}
