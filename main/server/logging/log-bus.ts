/**
 * The log bus (DESIGN §7): a bounded ring buffer of structured entries with live subscribers
 * (the headless console, the UI log view over IPC or SSE). Secrets are redacted here, once,
 * so no subscriber can leak them, and every message is capped in length here too.
 */
import type { LogEntry, LogLevel, RequestLogFields } from '../../../shared/admin-dto';
import { cutIndex } from './cut-text';

export type { LogEntry, LogLevel, RequestLogFields } from '../../../shared/admin-dto';

export type LogListener = (entry: LogEntry) => void;

/**
 * The longest message an entry keeps. The ring holds up to 2000 entries and sends each to every
 * viewer: one message carrying a client's megabytes (a long model name, an upstream error quoting
 * a body) must not multiply into the heap and the log streams. Far above any line the gateway writes.
 */
export const MAX_LOG_MESSAGE_CHARS = 8192;

/**
 * Cut after redaction, not before: a cut through a secret could leave a piece the patterns no
 * longer recognise. The marker says that, and how much, is missing.
 */
export function capLogMessage(message: string): string {
  if (message.length <= MAX_LOG_MESSAGE_CHARS) return message;
  const end = cutIndex(message, MAX_LOG_MESSAGE_CHARS); // never half a surrogate pair
  return `${message.slice(0, end)} … [${message.length - end} more characters cut]`;
}

export interface LogBusOptions {
  capacity?: number;
  now?: () => number;
  /** Applied to every message before it is stored or delivered. */
  redact?: (text: string) => string;
}

export class LogBus {
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #redact: (text: string) => string;
  readonly #ring: (LogEntry | undefined)[];
  #next = 0;
  #size = 0;
  #lastId = 0;
  readonly #listeners = new Set<LogListener>();

  constructor(options: LogBusOptions = {}) {
    this.#capacity = Math.max(1, options.capacity ?? 1000);
    this.#now = options.now ?? Date.now;
    this.#redact = options.redact ?? ((t) => t);
    this.#ring = new Array<LogEntry | undefined>(this.#capacity);
  }

  publish(level: LogLevel, message: string, request?: RequestLogFields): LogEntry {
    const entry: LogEntry = {
      id: ++this.#lastId,
      time: this.#now(),
      level,
      message: capLogMessage(this.#redact(message)),
    };
    if (request) entry.request = request;
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#size = Math.min(this.#size + 1, this.#capacity);
    for (const listener of this.#listeners) {
      try {
        listener(entry);
      } catch {
        // A broken subscriber (e.g. a closed UI window) must not break the request that logged.
      }
    }
    return entry;
  }

  debug(message: string): LogEntry {
    return this.publish('debug', message);
  }
  info(message: string): LogEntry {
    return this.publish('info', message);
  }
  warn(message: string): LogEntry {
    return this.publish('warn', message);
  }
  error(message: string): LogEntry {
    return this.publish('error', message);
  }

  /** Entries oldest first; `afterId` lets a reconnecting viewer fetch only what it missed. */
  recent(limit = this.#capacity, afterId = 0): LogEntry[] {
    const out: LogEntry[] = [];
    const start = (this.#next - this.#size + this.#capacity) % this.#capacity;
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.#capacity];
      if (entry && entry.id > afterId) out.push(entry);
    }
    return out.length > limit ? out.slice(out.length - limit) : out;
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#size = 0;
    this.#next = 0;
  }

  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#size;
  }
}
