/**
 * Durable state as "snapshot + append-only journal" (used for access keys, usage, the image index).
 *
 * Every change is one JSON line appended to `<name>.journal` before the caller acknowledges it, so a
 * crash (or kill -9) right after a request loses nothing that was acknowledged; appends are tiny and
 * cheap, unlike rewriting the whole file per request. On load the snapshot is read, the journal
 * replayed, and both are compacted into a fresh snapshot. A torn last line (crash mid-append) is
 * ignored: it was never acknowledged.
 *
 * Journal lines carry a sequence number and the snapshot records the last one it contains. Compaction
 * renames the snapshot into place and then deletes the journal; a crash between the two leaves a
 * journal whose lines the snapshot already holds, and replaying them again would count every access-key
 * use twice and duplicate created records. Lines at or below the snapshot's number are skipped.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from './atomic-file';

export interface JournaledStateOptions<S, Op> {
  dir: string;
  name: string;
  initial: () => S;
  /** Applies one operation; must be deterministic (replay gives the same state). */
  apply: (state: S, op: Op) => void;
  /** Validates a loaded snapshot; returning undefined falls back to `initial`. */
  revive: (raw: unknown) => S | undefined;
  /** Compact after this many journal lines (default 1000). */
  compactEvery?: number;
}

/** On-disk forms: the snapshot file and one journal line. */
interface SnapshotFile {
  seq: number;
  state: unknown;
}
interface JournalLine<Op> {
  seq: number;
  op: Op;
}

const isSnapshotFile = (raw: unknown): raw is SnapshotFile =>
  typeof raw === 'object' &&
  raw !== null &&
  Number.isSafeInteger((raw as SnapshotFile).seq) &&
  'state' in raw;

export class JournaledState<S, Op> {
  readonly #o: JournaledStateOptions<S, Op>;
  readonly #snapshotPath: string;
  readonly #journalPath: string;
  #state: S;
  #journalLines = 0;
  /** Sequence number of the last committed operation. */
  #seq = 0;
  /** The journal stays open between commits: one write() per commit, no open/close each time. */
  #fd: number | undefined;

  constructor(options: JournaledStateOptions<S, Op>) {
    this.#o = options;
    this.#snapshotPath = join(options.dir, `${options.name}.json`);
    this.#journalPath = join(options.dir, `${options.name}.journal`);
    this.#state = this.#load();
    this.compact();
  }

  get state(): S {
    return this.#state;
  }

  /** Applies the operation in memory and appends it to the journal (synchronously: acknowledged = on disk). */
  commit(op: Op): void {
    this.commitAll([op]);
  }

  /** Several operations in one write (callers that batch, like the usage recorder). */
  commitAll(ops: readonly Op[]): void {
    if (ops.length === 0) return;
    let text = '';
    for (const op of ops) {
      this.#o.apply(this.#state, op);
      text += `${JSON.stringify({ seq: ++this.#seq, op } satisfies JournalLine<Op>)}\n`;
    }
    this.#fd ??= openSync(this.#journalPath, 'a', 0o600);
    writeSync(this.#fd, text);
    this.#journalLines += ops.length;
    if (this.#journalLines >= (this.#o.compactEvery ?? 1000)) this.compact();
  }

  /** Writes the whole state as the new snapshot and empties the journal. */
  compact(): void {
    const file: SnapshotFile = { seq: this.#seq, state: this.#state };
    writeFileAtomicSync(this.#snapshotPath, JSON.stringify(file));
    this.#closeJournal();
    rmSync(this.#journalPath, { force: true });
    this.#journalLines = 0;
  }

  /** Compacts and releases the journal file (on shutdown). */
  close(): void {
    this.compact();
  }

  #closeJournal(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #load(): S {
    let state: S | undefined;
    let seq = 0;
    if (existsSync(this.#snapshotPath)) {
      try {
        const raw: unknown = JSON.parse(readFileSync(this.#snapshotPath, 'utf8'));
        if (isSnapshotFile(raw)) {
          state = this.#o.revive(raw.state);
          seq = raw.seq;
        }
      } catch {
        state = undefined;
      }
      if (state === undefined) {
        // Keep the unreadable file for the user to inspect instead of silently overwriting it.
        writeFileAtomicSync(`${this.#snapshotPath}.corrupt-${Date.now()}`, readFileSync(this.#snapshotPath));
      }
    }
    if (state === undefined) {
      state = this.#o.initial();
      seq = 0; // nothing is known to be in the snapshot: replay the whole journal
    }
    if (existsSync(this.#journalPath)) {
      for (const text of readFileSync(this.#journalPath, 'utf8').split('\n')) {
        if (!text) continue;
        let line: JournalLine<Op>;
        try {
          line = JSON.parse(text) as JournalLine<Op>;
        } catch {
          continue; // a torn final line from a crash mid-append
        }
        if (typeof line !== 'object' || line === null || !Number.isSafeInteger(line.seq)) continue;
        if (line.seq <= seq) continue; // already in the snapshot (crash during compaction)
        this.#o.apply(state, line.op);
        seq = line.seq;
      }
    }
    this.#seq = seq;
    return state;
  }
}
