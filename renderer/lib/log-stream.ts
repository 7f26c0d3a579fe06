/**
 * Live log entries over Server-Sent Events for the web admin. EventSource reconnects by itself after
 * network errors; entries published meanwhile are fetched with getLogs(lastId) when it reopens. An
 * HTTP error (expired session, server restart) closes it for good: the session is checked (a 401
 * signs the window out) and a new stream is opened with backoff. Either way the subscriber hears that
 * the stream is down, and again when it is back, so the view can say it is not live meanwhile.
 */
import type { LogEntry } from '../../shared/admin-dto';

/** What an EventSource reports, as callbacks (main.tsx wires a real one; this module stays DOM-free). */
export interface EventSourceHandlers {
  open: () => void;
  message: (data: string) => void;
  /** `closed`: the browser gave up (an HTTP error), rather than reconnecting by itself. */
  error: (closed: boolean) => void;
}

export type OpenEventSource = (url: string, on: EventSourceHandlers) => { close(): void };

export interface LogStreamOptions {
  /** The stream URL with the current token, or null when signed out. */
  url: () => string | null;
  open: OpenEventSource;
  backfill: (afterId: number) => Promise<LogEntry[]>;
  /** An authenticated call; a 401 there signs the window out. */
  checkSession: () => Promise<unknown>;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/** One SSE `data:` payload as a LogEntry, or null when it is not one (comments, garbage). */
export function parseLogEntry(data: string): LogEntry | null {
  try {
    const v = JSON.parse(data) as Partial<LogEntry> | null;
    if (
      v !== null &&
      typeof v === 'object' &&
      typeof v.id === 'number' &&
      typeof v.time === 'number' &&
      typeof v.message === 'string' &&
      typeof v.level === 'string' &&
      LEVELS.has(v.level)
    ) {
      return v as LogEntry;
    }
  } catch {
    // ignored: not an entry
  }
  return null;
}

const RETRY_MS = [1_000, 3_000, 10_000, 30_000];

export function subscribeLogStream(
  options: LogStreamOptions,
  listener: (entry: LogEntry) => void,
  onConnection: (live: boolean) => void = () => undefined,
): () => void {
  let source: { close(): void } | null = null;
  let timer: unknown = null;
  let stopped = false;
  let lastId = -1;
  let opens = 0;
  let failures = 0;
  let live: boolean | null = null;
  // Said once per change: EventSource reports every failed retry as another error.
  const setLive = (next: boolean) => {
    if (next === live || stopped) return;
    live = next;
    onConnection(next);
  };

  // Duplicates (a backfill overlapping the live stream) are the listener's to drop (mergeLogs):
  // the IPC transport can deliver them too, and ids are only compared here to know where to resume.
  const deliver = (entry: LogEntry) => {
    lastId = Math.max(lastId, entry.id);
    listener(entry);
  };

  const connect = () => {
    timer = null;
    const url = options.url();
    if (stopped || url === null) return;
    const es = options.open(url, {
      open() {
        failures = 0;
        opens += 1;
        setLive(true);
        if (opens > 1 && lastId >= 0) {
          options.backfill(lastId).then(
            (entries) => entries.forEach(deliver),
            () => undefined, // the live stream goes on; the gap stays
          );
        }
      },
      message(data) {
        const entry = parseLogEntry(data);
        if (entry) deliver(entry);
      },
      error(closed) {
        if (stopped) return;
        setLive(false);
        if (!closed) return; // EventSource reconnects by itself
        es.close();
        const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 30_000;
        failures += 1;
        // Signed out (the app then shows the login page) or the server is down: either way retry
        // later; connect() does nothing once there is no token.
        void options
          .checkSession()
          .catch(() => undefined)
          .then(() => {
            if (!stopped) timer = options.setTimeout(connect, delay);
          });
      },
    });
    source = es;
  };

  connect();
  return () => {
    stopped = true;
    if (timer !== null) options.clearTimeout(timer);
    source?.close();
  };
}
