/**
 * journaled-state: snapshot + journal replay, a torn last line, a corrupt snapshot kept aside, a
 * crash between compaction's two steps (no double replay), compaction every N lines, file modes —
 * and atomic-file, which every snapshot write goes through.
 */
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomicSync } from '../../../main/server/storage/atomic-file';
import { JournaledState } from '../../../main/server/storage/journaled-state';

interface Ledger {
  total: number;
  items: string[];
}
type Op = { op: 'add'; n: number } | { op: 'item'; name: string };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-journal-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (compactEvery?: number) =>
  new JournaledState<Ledger, Op>({
    dir,
    name: 'ledger',
    initial: () => ({ total: 0, items: [] }),
    apply: (state, op) => {
      if (op.op === 'add') state.total += op.n;
      else state.items.push(op.name);
    },
    revive: (raw) =>
      raw &&
      typeof raw === 'object' &&
      typeof (raw as Ledger).total === 'number' &&
      Array.isArray((raw as Ledger).items)
        ? (raw as Ledger)
        : undefined,
    ...(compactEvery ? { compactEvery } : {}),
  });

const snapshotPath = () => join(dir, 'ledger.json');
const journalPath = () => join(dir, 'ledger.journal');
const journalLines = () => readFileSync(journalPath(), 'utf8').split('\n').filter(Boolean);
const mode = (path: string) => statSync(path).mode & 0o777;

describe('JournaledState', () => {
  it('starts from the initial state and writes a snapshot at once', () => {
    const store = open();
    expect(store.state).toEqual({ total: 0, items: [] });
    expect(existsSync(snapshotPath())).toBe(true);
    expect(existsSync(journalPath())).toBe(false);
  });

  it('journals each commit synchronously, one line each, and replays them on the next open', () => {
    const store = open();
    store.commit({ op: 'add', n: 2 });
    store.commit({ op: 'item', name: 'a' });
    store.commit({ op: 'add', n: 5 });
    expect(store.state).toEqual({ total: 7, items: ['a'] });
    expect(journalLines()).toHaveLength(3);

    // No close, no flush: a crash right here.
    const reopened = open();
    expect(reopened.state).toEqual({ total: 7, items: ['a'] });
    // Opening compacts: everything is in the snapshot now.
    expect(existsSync(journalPath())).toBe(false);
    expect(open().state).toEqual({ total: 7, items: ['a'] });
  });

  it('ignores a torn last line (a crash mid-append), keeping every line before it', () => {
    const store = open();
    store.commit({ op: 'add', n: 1 });
    store.commit({ op: 'add', n: 10 });
    appendFileSync(journalPath(), '{"seq":3,"op":{"op":"add","n":1');
    const reopened = open();
    expect(reopened.state.total).toBe(11);
    // It goes on journaling normally after the repair.
    reopened.commit({ op: 'add', n: 100 });
    expect(open().state.total).toBe(111);
  });

  it('does not apply journal lines twice after a crash between the snapshot rename and the journal delete', () => {
    const store = open();
    store.commit({ op: 'add', n: 3 });
    store.commit({ op: 'item', name: 'once' });
    const saved = join(dir, 'saved-journal');
    copyFileSync(journalPath(), saved);
    store.compact();
    // Put the journal back: exactly what the disk holds if the process died inside compact().
    copyFileSync(saved, journalPath());

    const reopened = open();
    expect(reopened.state).toEqual({ total: 3, items: ['once'] });
    // Later commits still count (their sequence numbers continue past the snapshot's).
    reopened.commit({ op: 'add', n: 4 });
    expect(open().state).toEqual({ total: 7, items: ['once'] });
  });

  it('a corrupt snapshot is kept aside byte for byte; the journal is replayed on the initial state', () => {
    const store = open();
    store.commit({ op: 'add', n: 1 });
    store.compact();
    store.commit({ op: 'add', n: 2 });
    writeFileSync(snapshotPath(), '{"seq": 1, "state": {"total": 1, "items"');

    const reopened = open();
    expect(reopened.state).toEqual({ total: 2, items: [] });
    const aside = readdirSync(dir).filter((f) => f.startsWith('ledger.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{"seq": 1, "state": {"total": 1, "items"');
    // The new snapshot is valid again.
    expect(open().state).toEqual({ total: 2, items: [] });
  });

  it('a snapshot of the wrong shape is treated as corrupt too', () => {
    open().commit({ op: 'add', n: 1 });
    writeFileSync(snapshotPath(), JSON.stringify({ seq: 0, state: { total: 'many' } }));
    expect(open().state).toEqual({ total: 1, items: [] });
    writeFileSync(snapshotPath(), JSON.stringify([1, 2, 3]));
    expect(open().state).toEqual({ total: 0, items: [] });
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
  });

  it('compacts every N lines: the journal never grows past N', () => {
    const store = open(3);
    for (let i = 1; i <= 7; i++) {
      store.commit({ op: 'add', n: 1 });
      expect(existsSync(journalPath()) ? journalLines().length : 0).toBe(i % 3);
    }
    expect(open().state.total).toBe(7);
  });

  it('keeps its files private (0600)', () => {
    if (process.platform === 'win32') return;
    const store = open();
    store.commit({ op: 'add', n: 1 });
    expect(mode(snapshotPath())).toBe(0o600);
    expect(mode(journalPath())).toBe(0o600);
  });
});

describe('writeFileAtomicSync', () => {
  it('creates and replaces the file, mode 0600, leaving no temporary file', () => {
    const target = join(dir, 'file.txt');
    writeFileAtomicSync(target, 'first');
    writeFileAtomicSync(target, Buffer.from('second'));
    expect(readFileSync(target, 'utf8')).toBe('second');
    if (process.platform !== 'win32') expect(mode(target)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['file.txt']);
  });

  it('on failure throws, leaves the old content and no temporary file behind', () => {
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    expect(() => writeFileAtomicSync(target, 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(() => writeFileAtomicSync(join(dir, 'missing', 'file'), 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
