/** The web admin's live log stream: parsing, reconnection after an HTTP error, backfill on reopen. */
import { describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../shared/admin-dto';
import { parseLogEntry, subscribeLogStream, type EventSourceHandlers } from '../../renderer/lib/log-stream';

const entry = (id: number): LogEntry => ({ id, time: id, level: 'info', message: `m${id}` });

function harness(token: string | null = 't') {
  const sources: { url: string; on: EventSourceHandlers; close: ReturnType<typeof vi.fn> }[] = [];
  const timers: (() => void)[] = [];
  const backfill = vi.fn(async (afterId: number) => [entry(afterId + 1), entry(afterId + 2)]);
  const checkSession = vi.fn(async () => ({}));
  const received: number[] = [];
  const connection: boolean[] = [];
  const unsubscribe = subscribeLogStream(
    {
      url: () => (token === null ? null : `/admin/api/logs/stream?token=${token}`),
      open: (url, on) => {
        const source = { url, on, close: vi.fn() };
        sources.push(source);
        return source;
      },
      backfill,
      checkSession,
      setTimeout: (fn) => timers.push(fn),
      clearTimeout: vi.fn(),
    },
    (e) => received.push(e.id),
    (live) => connection.push(live),
  );
  return { sources, timers, backfill, checkSession, received, connection, unsubscribe };
}

describe('parseLogEntry', () => {
  it('accepts log entries and rejects anything else', () => {
    expect(parseLogEntry(JSON.stringify(entry(1)))).toEqual(entry(1));
    expect(parseLogEntry('not json')).toBeNull();
    expect(parseLogEntry('{"id":1}')).toBeNull();
    expect(parseLogEntry(JSON.stringify({ ...entry(1), level: 'loud' }))).toBeNull();
  });
});

describe('subscribeLogStream', () => {
  it('delivers the entries of the stream', () => {
    const h = harness();
    expect(h.sources[0]?.url).toBe('/admin/api/logs/stream?token=t');
    h.sources[0]?.on.open();
    h.sources[0]?.on.message(JSON.stringify(entry(1)));
    h.sources[0]?.on.message(': keep-alive');
    h.sources[0]?.on.message(JSON.stringify(entry(2)));
    expect(h.received).toEqual([1, 2]);
  });

  it('does not connect without a session', () => {
    expect(harness(null).sources).toHaveLength(0);
  });

  it('lets EventSource retry network errors by itself', async () => {
    const h = harness();
    h.sources[0]?.on.error(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.sources[0]?.close).not.toHaveBeenCalled();
    expect(h.checkSession).not.toHaveBeenCalled();
  });

  it('after an HTTP error: checks the session, then opens a new stream later', async () => {
    const h = harness();
    h.sources[0]?.on.error(true);
    expect(h.sources[0]?.close).toHaveBeenCalled();
    await vi.waitFor(() => expect(h.timers).toHaveLength(1));
    expect(h.checkSession).toHaveBeenCalledOnce();
    h.timers[0]?.();
    expect(h.sources).toHaveLength(2);
  });

  it('fetches what was missed when the stream reopens', async () => {
    const h = harness();
    h.sources[0]?.on.open();
    h.sources[0]?.on.message(JSON.stringify(entry(7)));
    h.sources[0]?.on.open(); // EventSource reconnected by itself
    await vi.waitFor(() => expect(h.received).toEqual([7, 8, 9]));
    expect(h.backfill).toHaveBeenCalledWith(7);
  });

  it('says when the live stream drops and when it is back, once per change', async () => {
    const h = harness();
    h.sources[0]?.on.open();
    expect(h.connection).toEqual([true]);
    // EventSource retrying by itself: each failed attempt is another error, told once.
    h.sources[0]?.on.error(false);
    h.sources[0]?.on.error(false);
    expect(h.connection).toEqual([true, false]);
    h.sources[0]?.on.open();
    expect(h.connection).toEqual([true, false, true]);
    // An HTTP error: down until the new stream opens.
    h.sources[0]?.on.error(true);
    expect(h.connection).toEqual([true, false, true, false]);
    await vi.waitFor(() => expect(h.timers).toHaveLength(1));
    h.timers[0]?.();
    h.sources[1]?.on.open();
    expect(h.connection).toEqual([true, false, true, false, true]);
  });

  it('stops on unsubscribe', async () => {
    const h = harness();
    h.sources[0]?.on.error(true);
    h.unsubscribe();
    expect(h.sources[0]?.close).toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 0)); // every pending promise has settled
    expect(h.checkSession).toHaveBeenCalledOnce();
    expect(h.timers).toHaveLength(0);
  });
});
