/**
 * A key pool (DESIGN §5) — the Gemini keys' and the xAI keys': pure state, an injected clock, no
 * timers and no I/O. Cooldowns end lazily — a cooling key is simply treated as active once the
 * clock has passed its end — so the pool never needs a timer and tests drive it with a fake clock.
 *
 * A cooldown is for the whole key, or for one scope, named `model` here: Google's 429 that said
 * which model's quota ran out (free-tier quotas are per model, so a key out of gemini-2.5-pro still
 * serves gemini-2.5-flash), or xAI's 403 for what the request was for — its model, else its method
 * and path (providers/xai/xai-keys.ts).
 */
import { createHash } from 'node:crypto';
import { redactSecrets } from '../logging/redact';
import type { KeyHealth, KeyStatus } from '../../../shared/admin-dto';
import { maskKey } from './mask-key';

export type { KeyHealth, KeyStatus } from '../../../shared/admin-dto';

export interface KeyLease {
  readonly key: string;
  readonly id: string;
  readonly masked: string;
}

export interface KeyAvailability {
  total: number;
  active: number;
  cooling: number;
  disabled: number;
  /** When the earliest cooling key is usable again (for the model asked about); null if none is cooling. */
  nextAvailableAt: number | null;
}

export interface KeyPoolOptions {
  now: () => number;
  defaultCooldownMs: number;
}

interface KeyEntry {
  /** Built once per key and handed out on every acquire, so the hot path allocates nothing. */
  readonly lease: KeyLease;
  /** 'cooling' here means the whole key; cooldowns for single models are in `modelCooldowns`. */
  status: KeyStatus;
  cooldownUntil: number | null;
  /**
   * Scope (a model id, or an xAI method and path) → end of its cooldown; null until a refusal names
   * one. Ended ones are dropped lazily.
   */
  modelCooldowns: Map<string, number> | null;
  disabledReason: string | null;
  requests: number;
  successes: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  lastUsedAt: number | null;
  lastError: KeyHealth['lastError'];
  /** Switched off in the admin: periodic checks do not switch it back on. */
  disabledByOwner: boolean;
}

/** Stored messages are shown in the UI; a runaway upstream message must not bloat key health. */
const MAX_STORED_MESSAGE_LENGTH = 500;

/** A short, stable, non-reversible handle the UI and admin API use to address a key. */
export const keyIdOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

const newEntry = (key: string): KeyEntry => ({
  lease: Object.freeze({ key, id: keyIdOf(key), masked: maskKey(key) }),
  status: 'active',
  cooldownUntil: null,
  modelCooldowns: null,
  disabledReason: null,
  requests: 0,
  successes: 0,
  failures: 0,
  promptTokens: 0,
  completionTokens: 0,
  lastUsedAt: null,
  lastError: null,
  disabledByOwner: false,
});

export class KeyPool {
  readonly #now: () => number;
  #defaultCooldownMs: number;
  #entries: KeyEntry[] = [];
  #byId = new Map<string, KeyEntry>();
  /** Index of the key the next acquire tries first; advanced past every key handed out. */
  #cursor = 0;

  constructor(keys: readonly string[], options: KeyPoolOptions) {
    this.#now = options.now;
    this.#defaultCooldownMs = options.defaultCooldownMs;
    this.setKeys(keys);
  }

  setKeys(keys: readonly string[]): void {
    const entries: KeyEntry[] = [];
    const byId = new Map<string, KeyEntry>();
    for (const raw of keys) {
      const key = raw.trim();
      if (key === '') continue;
      const id = keyIdOf(key);
      if (byId.has(id)) continue; // the same key listed twice would only skew the rotation
      const entry = this.#byId.get(id) ?? newEntry(key);
      entries.push(entry);
      byId.set(id, entry);
    }
    this.#entries = entries;
    this.#byId = byId;
    this.#cursor = entries.length === 0 ? 0 : this.#cursor % entries.length;
  }

  setDefaultCooldownMs(ms: number): void {
    this.#defaultCooldownMs = ms;
  }

  /**
   * The next key that can serve `model` (a scope: xAI passes its model or method and path): a key
   * cooling for another scope is used. Without one (listing Gemini's models) only a key free of
   * every cooldown is.
   */
  acquire(exclude?: ReadonlySet<string>, model?: string): KeyLease | null {
    const entries = this.#entries;
    const count = entries.length;
    if (count === 0) return null;
    const now = this.#now();
    for (let step = 0; step < count; step++) {
      const index = (this.#cursor + step) % count;
      const entry = entries[index];
      if (entry === undefined || exclude?.has(entry.lease.id)) continue;
      if (this.#freeAt(entry, now, model) > now) continue;
      this.#cursor = (index + 1) % count;
      entry.requests++;
      entry.lastUsedAt = now;
      return entry.lease;
    }
    return null;
  }

  reportSuccess(lease: KeyLease, usage?: { promptTokens: number; completionTokens: number }): void {
    const entry = this.#byId.get(lease.id);
    if (!entry) return; // the key was removed while its request was in flight
    entry.successes++;
    if (usage) {
      entry.promptTokens += usage.promptTokens;
      entry.completionTokens += usage.completionTokens;
    }
  }

  /** Cools the key for `models` only, or wholly when none are given. */
  reportRateLimited(
    lease: KeyLease,
    retryAfterMs: number | undefined,
    message: string,
    models: readonly string[] = [],
  ): void {
    this.#coolDown(lease, 429, retryAfterMs, message, models);
  }

  /**
   * Cools the key after a refusal that may pass, recorded with its own status: xAI's 403 (a team
   * out of credits, or without access to a model) is not the key's death, and credits can be bought.
   * The rest is the default cooldown, as for a 429 that says nothing about how long to wait.
   */
  reportRefused(lease: KeyLease, status: number, message: string, models: readonly string[] = []): void {
    this.#coolDown(lease, status, undefined, message, models);
  }

  #coolDown(
    lease: KeyLease,
    status: number,
    retryAfterMs: number | undefined,
    message: string,
    models: readonly string[],
  ): void {
    const entry = this.#byId.get(lease.id);
    if (!entry) return;
    const now = this.#now();
    this.#recordFailure(entry, now, status, message);
    // A key disabled meanwhile (by the UI or another request) stays disabled.
    if (entry.status === 'disabled') return;
    const until = now + Math.max(0, retryAfterMs ?? this.#defaultCooldownMs);
    // Concurrent refusals of one key: keep the longest cooldown any of them asked for.
    if (models.length === 0) {
      entry.status = 'cooling';
      entry.cooldownUntil = Math.max(until, entry.cooldownUntil ?? 0);
      return;
    }
    const cooldowns = (entry.modelCooldowns ??= new Map<string, number>());
    for (const model of models) cooldowns.set(model, Math.max(until, cooldowns.get(model) ?? 0));
  }

  reportInvalid(lease: KeyLease, status: number, reason: string): void {
    const entry = this.#byId.get(lease.id);
    if (!entry) return;
    this.#recordFailure(entry, this.#now(), status, reason);
    this.#disable(entry, reason);
  }

  reportTransientFailure(lease: KeyLease, status: number | null, message: string): void {
    const entry = this.#byId.get(lease.id);
    if (!entry) return;
    this.#recordFailure(entry, this.#now(), status, message);
  }

  reportValid(id: string): void {
    const entry = this.#byId.get(id);
    if (!entry) return;
    entry.lastError = null;
    // A key the owner switched off stays off, however well it answers a probe.
    if (entry.status === 'disabled' && !entry.disabledByOwner) {
      entry.status = 'active';
      entry.disabledReason = null;
    }
  }

  /**
   * Switches back on the keys the gateway disabled itself — never those the owner switched off —
   * and returns them. For a pool no key checker re-validates (xAI): the owner saving the key list
   * again is the moment to try them once more; a key still refused is disabled again by the request
   * that uses it.
   */
  reenableRejected(): KeyLease[] {
    const revived: KeyLease[] = [];
    for (const entry of this.#entries) {
      if (entry.status !== 'disabled' || entry.disabledByOwner) continue;
      entry.status = 'active';
      entry.disabledReason = null;
      revived.push(entry.lease);
    }
    return revived;
  }

  enable(id: string): boolean {
    const entry = this.#byId.get(id);
    if (!entry) return false;
    entry.status = 'active';
    entry.cooldownUntil = null;
    entry.modelCooldowns = null;
    entry.disabledReason = null;
    entry.disabledByOwner = false;
    return true;
  }

  /** Disables a key; `byOwner` (the admin's switch) keeps it off until the owner enables it again. */
  disable(id: string, reason: string, byOwner = false): boolean {
    const entry = this.#byId.get(id);
    if (!entry) return false;
    this.#disable(entry, reason);
    entry.disabledByOwner = byOwner;
    return true;
  }

  /**
   * The keys as a request for `model` sees them: a key cooling for another model is active. Without a
   * model (/health, the dashboard, metrics) a key cooling for any model counts as cooling.
   */
  availability(model?: string): KeyAvailability {
    const now = this.#now();
    const result: KeyAvailability = { total: 0, active: 0, cooling: 0, disabled: 0, nextAvailableAt: null };
    for (const entry of this.#entries) {
      result.total++;
      const status = this.#statusAt(entry, now, model);
      result[status.status]++;
      if (status.cooldownUntil !== null) {
        result.nextAvailableAt = Math.min(result.nextAvailableAt ?? Infinity, status.cooldownUntil);
      }
    }
    return result;
  }

  health(): KeyHealth[] {
    const now = this.#now();
    // A key cooling for some models shows as cooling until the last of them ends (the DTO has no
    // per-model field); requests for its other models still get it.
    return this.#entries.map((entry) => ({
      id: entry.lease.id,
      masked: entry.lease.masked,
      ...this.#statusAt(entry, now),
      disabledReason: entry.disabledReason,
      requests: entry.requests,
      successes: entry.successes,
      failures: entry.failures,
      promptTokens: entry.promptTokens,
      completionTokens: entry.completionTokens,
      lastUsedAt: entry.lastUsedAt,
      lastError: entry.lastError ? { ...entry.lastError } : null,
    }));
  }

  keyOf(id: string): string | undefined {
    return this.#byId.get(id)?.lease.key;
  }

  /**
   * When the key's cooldown for `model` (a scope) ends — the later of the whole key's and that
   * scope's own — or, without one, the whole key's; null when there is none (or the key is disabled
   * or gone). A log line about the cooldown just reported needs this one: health() shows the key's
   * longest cooldown, which may belong to another scope.
   */
  cooldownEnd(id: string, model?: string): number | null {
    const entry = this.#byId.get(id);
    if (!entry) return null;
    const now = this.#now();
    this.#refresh(entry, now);
    if (entry.status === 'disabled') return null;
    const whole = entry.cooldownUntil ?? now;
    const until = model === undefined ? whole : Math.max(whole, entry.modelCooldowns?.get(model) ?? now);
    return until > now ? until : null;
  }

  /**
   * When the key can next serve `model`: `now` when it can, Infinity when it is disabled. Without a
   * model, every cooldown of the key counts.
   */
  #freeAt(entry: KeyEntry, now: number, model: string | undefined): number {
    this.#refresh(entry, now);
    if (entry.status === 'disabled') return Infinity;
    let freeAt = entry.cooldownUntil ?? now;
    const cooldowns = entry.modelCooldowns;
    if (cooldowns === null) return freeAt;
    if (model !== undefined) return Math.max(freeAt, cooldowns.get(model) ?? now);
    for (const [name, until] of cooldowns) {
      if (until <= now)
        cooldowns.delete(name); // ended; keeps the map as small as the live cooldowns
      else freeAt = Math.max(freeAt, until);
    }
    return freeAt;
  }

  #statusAt(
    entry: KeyEntry,
    now: number,
    model?: string,
  ): { status: KeyStatus; cooldownUntil: number | null } {
    const freeAt = this.#freeAt(entry, now, model);
    if (freeAt === Infinity) return { status: 'disabled', cooldownUntil: null };
    return freeAt > now
      ? { status: 'cooling', cooldownUntil: freeAt }
      : { status: 'active', cooldownUntil: null };
  }

  /** Ends a cooldown whose time has come; this is what replaces a timer. */
  #refresh(entry: KeyEntry, now: number): void {
    if (entry.status === 'cooling' && (entry.cooldownUntil === null || now >= entry.cooldownUntil)) {
      entry.status = 'active';
      entry.cooldownUntil = null;
    }
  }

  #disable(entry: KeyEntry, reason: string): void {
    entry.status = 'disabled';
    entry.cooldownUntil = null;
    entry.disabledReason = this.#clean(entry, reason);
  }

  #recordFailure(entry: KeyEntry, now: number, status: number | null, message: string): void {
    entry.failures++;
    entry.lastError = { at: now, status, message: this.#clean(entry, message) };
  }

  /** Messages come from upstream and may quote a key (e.g. in a URL); this key is masked for sure. */
  #clean(entry: KeyEntry, message: string): string {
    return redactSecrets(message, [entry.lease.key]).slice(0, MAX_STORED_MESSAGE_LENGTH);
  }
}
