/**
 * IPs authorised by the `auth <password>` chat command, and a lockout for IPs that keep guessing
 * the password with it. Bounded: the oldest entries go first, so an attacker cycling addresses
 * cannot grow the gateway's memory.
 */
import { FailureThrottle } from './failure-throttle';
import { ipBucket } from './ip-match';

const MAX_GRANTS = 10_000;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const MAX_AUTH_FAILURES = 5;

export class AuthorisedIps {
  readonly #grants = new Map<string, number>();
  readonly #failures: FailureThrottle;
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
    this.#failures = new FailureThrottle({
      now,
      maxFailures: MAX_AUTH_FAILURES,
      windowMs: FAILURE_WINDOW_MS,
    });
  }

  /** Authorises the IP for `ttlMs` (Infinity: until restart). */
  grant(ip: string, ttlMs: number): void {
    this.#grants.delete(ip);
    this.#grants.set(ip, ttlMs === Infinity ? Infinity : this.#now() + ttlMs);
    this.#failures.clear(ipBucket(ip));
    while (this.#grants.size > MAX_GRANTS) {
      const oldest = this.#grants.keys().next();
      if (oldest.done) break;
      this.#grants.delete(oldest.value);
    }
  }

  isAuthorised(ip: string): boolean {
    const until = this.#grants.get(ip);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#grants.delete(ip);
    return false;
  }

  revokeAll(): void {
    this.#grants.clear();
  }

  /** Seconds until the IP (its /64 for IPv6) may try again, or 0 when it is not locked out. */
  lockedFor(ip: string): number {
    return this.#failures.lockedFor(ipBucket(ip));
  }

  recordFailure(ip: string): void {
    this.#failures.recordFailure(ipBucket(ip));
  }

  get size(): { grants: number; failures: number } {
    return { grants: this.#grants.size, failures: this.#failures.size };
  }
}
