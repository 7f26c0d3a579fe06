/**
 * What the key tables (Gemini and xAI keys) show of a key's health, worked out without the DOM: the
 * status badge, and which cool-downs just ended so the list is asked for again.
 */
import type { KeyHealth } from '../../shared/admin-dto';

export type KeyStatusBadge =
  | { tone: 'ok'; status: 'active' }
  /** Seconds until the key is used again (never negative: a late answer shows 0:00, not -0:03). */
  | { tone: 'warning'; status: 'cooling'; secondsLeft: number }
  /** Why the gateway (or the owner) switched the key off, when it said so. */
  | { tone: 'danger'; status: 'disabled'; reason: string | null };

export function keyStatusBadge(key: KeyHealth, now: number): KeyStatusBadge {
  switch (key.status) {
    case 'cooling':
      return {
        tone: 'warning',
        status: 'cooling',
        secondsLeft: key.cooldownUntil === null ? 0 : Math.max(0, (key.cooldownUntil - now) / 1000),
      };
    case 'disabled':
      return { tone: 'danger', status: 'disabled', reason: key.disabledReason };
    case 'active':
      return { tone: 'ok', status: 'active' };
  }
}

/**
 * The cool-downs shown that have ended by `now` and were not asked about yet, as `id@until` tags. A
 * cool-down that ends changes the status, so the list is asked for again rather than showing "0:00" —
 * once per cool-down (`asked`), since a server clock ahead of ours would otherwise ask every second.
 */
export function endedCooldowns(
  keys: readonly KeyHealth[],
  now: number,
  asked: ReadonlySet<string>,
): string[] {
  return keys
    .filter((k) => k.status === 'cooling' && k.cooldownUntil !== null && k.cooldownUntil <= now)
    .map((k) => `${k.id}@${k.cooldownUntil}`)
    .filter((tag) => !asked.has(tag));
}
