/**
 * Access keys (`sk-…`): credentials the owner hands out instead of the password, each with a name,
 * an optional usage limit (optionally reset daily), an optional expiry and an enabled flag.
 *
 * Only a SHA-256 hash of each key is stored: a copied data folder does not reveal usable keys. The
 * full key is shown once, at creation. Counts are exact under concurrency: a request reserves a use
 * when it is admitted and commits it when it succeeds (or releases it), so N parallel requests on a
 * key with one use left cannot all pass. Every change is journaled before it is acknowledged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../errors';
import { JournaledState } from '../storage/journaled-state';

export interface AccessKeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the full key, hex. */
  hash: string;
  /** "sk-abcd…wxyz", for lists. */
  preview: string;
  enabled: boolean;
  /** Successful requests allowed (per day when dailyReset), null = unlimited. */
  limit: number | null;
  dailyReset: boolean;
  /** Requests per minute for this key, null = only the global limits. */
  perMinute: number | null;
  expiresAt: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  used: number;
  /** UTC day (YYYY-MM-DD) the `used` count belongs to, for daily resets. */
  usedDay: string;
}

export interface AccessKeyInput {
  name: string;
  enabled?: boolean;
  limit?: number | null;
  dailyReset?: boolean;
  perMinute?: number | null;
  expiresAt?: number | null;
}

type Op =
  | { op: 'create'; record: AccessKeyRecord }
  | { op: 'update'; id: string; patch: Partial<AccessKeyInput> & { used?: number; usedDay?: string } }
  | { op: 'delete'; id: string }
  | { op: 'use'; id: string; at: number; day: string };

interface State {
  keys: AccessKeyRecord[];
}

const applyOp = (state: State, op: Op): void => {
  switch (op.op) {
    case 'create':
      state.keys.push({ ...op.record });
      return;
    case 'delete':
      state.keys = state.keys.filter((k) => k.id !== op.id);
      return;
    case 'update': {
      const key = state.keys.find((k) => k.id === op.id);
      if (key) Object.assign(key, op.patch);
      return;
    }
    case 'use': {
      const key = state.keys.find((k) => k.id === op.id);
      if (!key) return;
      if (key.usedDay !== op.day) {
        key.usedDay = op.day;
        if (key.dailyReset) key.used = 0;
      }
      key.used++;
      key.lastUsedAt = op.at;
      return;
    }
  }
};

export const hashAccessKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 48 characters from a CSPRNG, rejection-sampled so every character is equally likely. */
const generateKey = (): string => {
  let out = 'sk-';
  while (out.length < 51) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < 51) out += ALPHABET[byte % 62];
    }
  }
  return out;
};

const utcDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** A request admitted on an access key; commit on success, release otherwise. */
export interface AccessKeyTicket {
  readonly keyId: string;
  readonly perMinute: number | null;
  commit(): void;
  release(): void;
}

export class AccessKeyStore {
  readonly #journal: JournaledState<State, Op>;
  readonly #now: () => number;
  readonly #byHash = new Map<string, AccessKeyRecord>();
  /** Uses admitted but not yet committed, per key id. */
  readonly #pending = new Map<string, number>();

  constructor(dataDir: string, now: () => number) {
    this.#now = now;
    this.#journal = new JournaledState<State, Op>({
      dir: dataDir,
      name: 'access-keys',
      initial: () => ({ keys: [] }),
      apply: applyOp,
      revive: (raw) =>
        raw && typeof raw === 'object' && Array.isArray((raw as State).keys) ? (raw as State) : undefined,
    });
    this.#reindex();
  }

  list(): AccessKeyRecord[] {
    const today = utcDay(this.#now());
    return this.#journal.state.keys.map((k) => ({ ...k, used: this.#usedToday(k, today) }));
  }

  /** Creates a key; the returned `key` is the only time the full value is available. */
  create(input: AccessKeyInput): { key: string; record: AccessKeyRecord } {
    const key = generateKey();
    const now = this.#now();
    const record: AccessKeyRecord = {
      id: randomBytes(6).toString('hex'),
      name: input.name,
      hash: hashAccessKey(key),
      preview: `${key.slice(0, 7)}…${key.slice(-4)}`,
      enabled: input.enabled ?? true,
      limit: input.limit ?? null,
      dailyReset: input.dailyReset ?? false,
      perMinute: input.perMinute ?? null,
      expiresAt: input.expiresAt ?? null,
      createdAt: now,
      lastUsedAt: null,
      used: 0,
      usedDay: utcDay(now),
    };
    this.#journal.commit({ op: 'create', record });
    this.#reindex();
    return { key, record: { ...record } };
  }

  update(id: string, patch: Partial<AccessKeyInput> & { resetUsage?: boolean }): AccessKeyRecord {
    if (!this.#journal.state.keys.some((k) => k.id === id)) {
      throw new ApiError('not_found', `No access key with id '${id}'.`);
    }
    const { resetUsage, ...fields } = patch;
    this.#journal.commit({
      op: 'update',
      id,
      patch: resetUsage ? { ...fields, used: 0, usedDay: utcDay(this.#now()) } : fields,
    });
    this.#reindex();
    return this.list().find((k) => k.id === id)!;
  }

  revoke(id: string): boolean {
    if (!this.#journal.state.keys.some((k) => k.id === id)) return false;
    this.#journal.commit({ op: 'delete', id });
    this.#pending.delete(id);
    this.#reindex();
    return true;
  }

  /** Cheap pre-check: does this token look like an access key we issued? */
  isAccessKey(token: string): boolean {
    return this.#byHash.has(hashAccessKey(token));
  }

  /**
   * Admits one request on the key, or throws a 401 saying why not (unknown, disabled, expired,
   * exhausted). The returned ticket must be committed (success) or released.
   */
  admit(token: string): AccessKeyTicket {
    const record = this.#byHash.get(hashAccessKey(token));
    if (!record) throw new ApiError('invalid_api_key', 'Incorrect API key provided.');
    const now = this.#now();
    if (!record.enabled)
      throw new ApiError('access_key_disabled', `The access key '${record.name}' is disabled.`);
    if (record.expiresAt !== null && now >= record.expiresAt) {
      throw new ApiError(
        'access_key_expired',
        `The access key '${record.name}' expired on ${new Date(record.expiresAt).toISOString()}.`,
      );
    }
    const pending = this.#pending.get(record.id) ?? 0;
    if (record.limit !== null && this.#usedToday(record, utcDay(now)) + pending >= record.limit) {
      throw new ApiError(
        'access_key_exhausted',
        `The access key '${record.name}' has used all ${record.limit} requests${record.dailyReset ? ' for today (resets at 00:00 UTC)' : ''}.`,
      );
    }
    this.#pending.set(record.id, pending + 1);
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      const left = (this.#pending.get(record.id) ?? 1) - 1;
      if (left > 0) this.#pending.set(record.id, left);
      else this.#pending.delete(record.id);
      return true;
    };
    return {
      keyId: record.id,
      perMinute: record.perMinute,
      commit: () => {
        if (!settle()) return;
        const at = this.#now();
        if (this.#journal.state.keys.some((k) => k.id === record.id)) {
          this.#journal.commit({ op: 'use', id: record.id, at, day: utcDay(at) });
        }
      },
      release: () => void settle(),
    };
  }

  /** Flushes the journal into the snapshot (on shutdown). */
  flush(): void {
    this.#journal.compact();
  }

  #usedToday(record: AccessKeyRecord, today: string): number {
    return record.dailyReset && record.usedDay !== today ? 0 : record.used;
  }

  #reindex(): void {
    this.#byHash.clear();
    for (const k of this.#journal.state.keys) this.#byHash.set(k.hash, k);
  }
}
