/**
 * The Logs page keeps at most LOG_CAPACITY entries in memory, whatever the rate: a long-open window
 * must not grow without bound. Entries are ordered and de-duplicated by id, because the initial
 * getLogs(), the live stream and a backfill after a reconnect may overlap.
 */
import type { LogEntry } from '../../shared/admin-dto';

export const LOG_CAPACITY = 2000;

const isAscending = (entries: readonly LogEntry[], after: number): boolean =>
  entries.every((e, i) => e.id > (i === 0 ? after : (entries[i - 1]?.id ?? after)));

/**
 * `current` with `incoming` merged in, the oldest dropped beyond `capacity`. Returns `current` itself
 * when nothing new arrived, so a render can be skipped.
 */
export function mergeLogs(
  current: readonly LogEntry[],
  incoming: readonly LogEntry[],
  capacity = LOG_CAPACITY,
): readonly LogEntry[] {
  if (incoming.length === 0) return current;
  const lastId = current.at(-1)?.id ?? -Infinity;
  let merged: LogEntry[];
  if (isAscending(incoming, lastId)) {
    // The usual case (live entries after the ones shown): a plain append.
    merged = current.concat(incoming);
  } else {
    const byId = new Map<number, LogEntry>();
    for (const e of current) byId.set(e.id, e);
    let added = false;
    for (const e of incoming) {
      if (!byId.has(e.id)) {
        byId.set(e.id, e);
        added = true;
      }
    }
    if (!added) return current;
    merged = [...byId.values()].sort((a, b) => a.id - b.id);
  }
  return merged.length > capacity ? merged.slice(merged.length - capacity) : merged;
}
