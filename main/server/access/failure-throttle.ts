/**
 * Counts wrong secrets per client and locks a client out after too many (brute-force protection).
 * Bounded: the oldest clients are forgotten first, so cycling addresses cannot grow memory.
 */

const DEFAULT_MAX_TRACKED = 10_000;

export interface FailureThrottleOptions {
  now: () => number;
  maxFailures: number;
  windowMs: number;
  maxTracked?: number;
}

export class FailureThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #o: Required<FailureThrottleOptions>;

  constructor(options: FailureThrottleOptions) {
    this.#o = { maxTracked: DEFAULT_MAX_TRACKED, ...options };
  }

  /** Seconds until the client may try again, or 0 when it is not locked out. */
  lockedFor(client: string): number {
    const f = this.#failures.get(client);
    if (!f || f.count < this.#o.maxFailures) return 0;
    const left = f.since + this.#o.windowMs - this.#o.now();
    if (left <= 0) {
      this.#failures.delete(client);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  recordFailure(client: string): void {
    const now = this.#o.now();
    const f = this.#failures.get(client);
    if (!f || now - f.since > this.#o.windowMs) {
      this.#failures.delete(client);
      this.#failures.set(client, { count: 1, since: now });
    } else f.count++;
    while (this.#failures.size > this.#o.maxTracked) {
      const oldest = this.#failures.keys().next();
      if (oldest.done) break;
      this.#failures.delete(oldest.value);
    }
  }

  clear(client: string): void {
    this.#failures.delete(client);
  }

  get size(): number {
    return this.#failures.size;
  }
}
