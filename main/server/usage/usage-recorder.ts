/**
 * Usage per hour × model × Gemini key × access key (DESIGN §7): requests, errors and tokens, for the
 * charts of the UI. Journaled like access keys (a crash loses nothing acknowledged) and bounded: hours
 * older than RETENTION_DAYS are dropped when the state is compacted. Reports: usage-report.ts.
 */
import type { UsageRange, UsageReport } from '../../../shared/admin-dto';
import { JournaledState } from '../storage/journaled-state';
import { addBucket, DAY, HOUR, type Bucket } from './usage-bucket';
import { buildUsageReport, type UsageLabels } from './usage-report';

export const RETENTION_DAYS = 31;

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

const bucketId = (b: Pick<Bucket, 'h' | 'm' | 'k' | 'a'>) => `${b.h}|${b.m}|${b.k}|${b.a}`;

export class UsageRecorder {
  readonly #journal: JournaledState<State, Bucket>;
  /** bucket id → bucket, rebuilt from the state (the journal's apply keeps it current). */
  readonly #index = new Map<string, Bucket>();
  /**
   * Records of this event-loop turn, added up per bucket and written together: under load one write()
   * and one journal line per bucket serve many requests instead of one each. They reach the disk before
   * the next turn — usage is recorded after the response went out anyway, so nothing the client was
   * told depends on it.
   */
  #pending = new Map<string, Bucket>();
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
    const one: Bucket = {
      h: Math.floor(event.time / HOUR) * HOUR,
      m: event.model,
      k: event.keyId ?? '',
      a: event.accessKeyId ?? '',
      r: 1,
      e: event.ok ? 0 : 1,
      p: event.promptTokens ?? 0,
      c: event.completionTokens ?? 0,
      t: event.reasoningTokens ?? 0,
    };
    const id = bucketId(one);
    const pending = this.#pending.get(id);
    if (pending) addBucket(pending, one);
    else this.#pending.set(id, one);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#writePending());
    }
  }

  #writePending(): void {
    this.#flushScheduled = false;
    if (this.#pending.size === 0) return;
    const ops = [...this.#pending.values()];
    this.#pending.clear();
    try {
      this.#journal.commitAll(ops);
    } catch (err) {
      // A full or vanished disk must not crash the gateway from a timer; the counts stay in memory.
      this.#reportError(err);
    }
  }

  report(range: UsageRange, now: number, labels: UsageLabels): UsageReport {
    this.#writePending();
    return buildUsageReport(this.#journal.state.buckets, range, now, labels);
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
      addBucket(existing, op);
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
