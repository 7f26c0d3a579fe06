/**
 * Usage per hour × model × Gemini key × access key (DESIGN §7): requests, errors and tokens, for the
 * charts of the UI. Journaled like access keys (a crash loses nothing acknowledged) and bounded: hours
 * older than RETENTION_DAYS are dropped when the state is compacted.
 */
import type { UsageRange, UsageReport, UsageTotals } from '../../../shared/admin-dto';
import { JournaledState } from '../storage/journaled-state';

export const RETENTION_DAYS = 31;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** One bucket; short field names keep the journal small (one line per request). */
interface Bucket {
  h: number; // hour start, unix ms (UTC)
  m: string; // model
  k: string; // Gemini key id ('' when none was used)
  a: string; // access key id ('' when another credential was used)
  r: number; // requests
  e: number; // errors
  p: number; // prompt tokens
  c: number; // completion tokens (incl. reasoning)
  t: number; // reasoning ("thinking") tokens
}

interface State {
  buckets: Bucket[];
}

export interface UsageEvent {
  time: number;
  model: string;
  keyId?: string;
  accessKeyId?: string;
  ok: boolean;
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
}

export interface UsageLabels {
  keyMasked: (keyId: string) => string;
  accessKeyName: (accessKeyId: string) => string;
}

const bucketId = (b: Pick<Bucket, 'h' | 'm' | 'k' | 'a'>) => `${b.h}|${b.m}|${b.k}|${b.a}`;

const emptyTotals = (): UsageTotals => ({
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  reasoningTokens: 0,
});

const addTo = (totals: UsageTotals, b: Bucket) => {
  totals.requests += b.r;
  totals.errors += b.e;
  totals.promptTokens += b.p;
  totals.completionTokens += b.c;
  totals.reasoningTokens += b.t;
};

export class UsageRecorder {
  readonly #journal: JournaledState<State, Bucket>;
  /** bucket id → bucket, rebuilt from the state (the journal's apply keeps it current). */
  readonly #index = new Map<string, Bucket>();
  /**
   * Records of this event-loop turn, written together: under load one write() serves many requests
   * instead of one each. They reach the disk before the next turn — usage is recorded after the
   * response went out anyway, so nothing the client was told depends on it.
   */
  #pending: Bucket[] = [];
  #flushScheduled = false;

  readonly #reportError: (err: unknown) => void;

  constructor(dataDir: string, reportError: (err: unknown) => void = () => {}) {
    this.#reportError = reportError;
    this.#journal = new JournaledState<State, Bucket>({
      dir: dataDir,
      name: 'usage',
      initial: () => {
        this.#index.clear();
        return { buckets: [] };
      },
      apply: (state, op) => this.#apply(state, op),
      // Index the snapshot before the journal is replayed onto it, so replayed lines find their buckets.
      revive: (raw) => {
        if (!raw || typeof raw !== 'object' || !Array.isArray((raw as State).buckets)) return undefined;
        this.#reindex(raw as State);
        return raw as State;
      },
      compactEvery: 20_000,
    });
  }

  record(event: UsageEvent): void {
    this.#pending.push({
      h: Math.floor(event.time / HOUR) * HOUR,
      m: event.model,
      k: event.keyId ?? '',
      a: event.accessKeyId ?? '',
      r: 1,
      e: event.ok ? 0 : 1,
      p: event.promptTokens ?? 0,
      c: event.completionTokens ?? 0,
      t: event.reasoningTokens ?? 0,
    });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#writePending());
    }
  }

  #writePending(): void {
    this.#flushScheduled = false;
    const ops = this.#pending;
    this.#pending = [];
    try {
      this.#journal.commitAll(ops);
    } catch (err) {
      // A full or vanished disk must not crash the gateway from a timer; the counts stay in memory.
      this.#reportError(err);
    }
  }

  report(range: UsageRange, now: number, labels: UsageLabels): UsageReport {
    this.#writePending();
    const hourly = range === '24h';
    const step = hourly ? HOUR : DAY;
    const count = range === '24h' ? 24 : range === '7d' ? 7 : 30;
    const last = Math.floor(now / step) * step;
    const first = last - (count - 1) * step;
    const series = Array.from({ length: count }, (_, i) => ({ start: first + i * step, ...emptyTotals() }));
    const total = emptyTotals();
    const byModel = new Map<string, UsageTotals>();
    const byKey = new Map<string, UsageTotals>();
    const byAccessKey = new Map<string, UsageTotals>();
    const group = (map: Map<string, UsageTotals>, id: string, b: Bucket) => {
      let t = map.get(id);
      if (!t) map.set(id, (t = emptyTotals()));
      addTo(t, b);
    };
    for (const b of this.#journal.state.buckets) {
      const slot = Math.floor(b.h / step) * step;
      if (slot < first || slot > last) continue;
      addTo(series[(slot - first) / step]!, b);
      addTo(total, b);
      group(byModel, b.m, b);
      if (b.k) group(byKey, b.k, b);
      if (b.a) group(byAccessKey, b.a, b);
    }
    const sorted = <T extends UsageTotals>(rows: T[]) => rows.sort((x, y) => y.requests - x.requests);
    return {
      range,
      series,
      total,
      byModel: sorted([...byModel].map(([model, t]) => ({ model, ...t }))),
      byKey: sorted([...byKey].map(([keyId, t]) => ({ keyId, masked: labels.keyMasked(keyId), ...t }))),
      byAccessKey: sorted(
        [...byAccessKey].map(([accessKeyId, t]) => ({
          accessKeyId,
          name: labels.accessKeyName(accessKeyId),
          ...t,
        })),
      ),
    };
  }

  /** Drops hours past the retention and compacts (at shutdown, and daily by the caller). */
  flush(now: number): void {
    this.#writePending();
    const cutoff = now - RETENTION_DAYS * DAY;
    const state = this.#journal.state;
    state.buckets = state.buckets.filter((b) => b.h >= cutoff);
    this.#reindex(state);
    this.#journal.compact();
  }

  close(now: number): void {
    this.flush(now);
    this.#journal.close();
  }

  #apply(state: State, op: Bucket): void {
    const id = bucketId(op);
    const existing = this.#index.get(id);
    if (existing) {
      existing.r += op.r;
      existing.e += op.e;
      existing.p += op.p;
      existing.c += op.c;
      existing.t += op.t;
    } else {
      const bucket = { ...op };
      state.buckets.push(bucket);
      this.#index.set(id, bucket);
    }
  }

  #reindex(state: State): void {
    this.#index.clear();
    for (const b of state.buckets) this.#index.set(bucketId(b), b);
  }
}
