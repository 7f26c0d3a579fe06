/** The Logs page's bounded buffer and its filter. */
import { describe, expect, it } from 'vitest';
import type { LogEntry, RequestLogFields } from '../../shared/admin-dto';
import { mergeLogs } from '../../renderer/lib/log-buffer';
import {
  filterLogs,
  isErrorLine,
  logLineText,
  matchesLog,
  requestSummary,
} from '../../renderer/lib/log-filter';

const entry = (id: number, over: Partial<LogEntry> = {}): LogEntry => ({
  id,
  time: 1_700_000_000_000 + id,
  level: 'info',
  message: `line ${id}`,
  ...over,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));
const ids = (list: readonly LogEntry[]) => list.map((e) => e.id);

const request: RequestLogFields = {
  method: 'POST',
  path: '/v1/chat/completions',
  ip: '127.0.0.1',
  status: 200,
  latencyMs: 812.4,
  model: 'gemini-2.5-flash',
  key: 'AIza…x9Qk',
  promptTokens: 12,
  completionTokens: 40,
};

describe('mergeLogs', () => {
  it('appends new entries', () => {
    expect(ids(mergeLogs(range(1, 3), range(4, 5)))).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps only the newest `capacity` entries', () => {
    const merged = mergeLogs(range(1, 8), range(9, 12), 10);
    expect(merged).toHaveLength(10);
    expect(ids(merged)).toEqual(range(3, 12).map((e) => e.id));
  });

  it('stays bounded under a long stream', () => {
    let list: readonly LogEntry[] = [];
    for (let i = 0; i < 100; i++) list = mergeLogs(list, range(i * 50 + 1, i * 50 + 50), 2000);
    expect(list).toHaveLength(2000);
    expect(list[0]?.id).toBe(3001);
  });

  it('drops duplicates and orders by id when sources overlap', () => {
    // The initial getLogs() answer may arrive after live entries it also contains.
    const merged = mergeLogs([entry(5), entry(6)], range(3, 6));
    expect(ids(merged)).toEqual([3, 4, 5, 6]);
  });

  it('returns the same list when nothing is new (no re-render)', () => {
    const list = range(1, 3);
    expect(mergeLogs(list, [])).toBe(list);
    expect(mergeLogs(list, [entry(2)])).toBe(list);
  });
});

describe('log filter', () => {
  const lines = [
    entry(1, { level: 'debug', message: 'key check scheduled' }),
    // As the server sends it: a console-style message beside the fields.
    entry(2, { message: '127.0.0.1 POST /v1/chat/completions 200 812.4ms · gemini-2.5-flash', request }),
    entry(3, { level: 'warn', message: 'admin: wrong password from 10.0.0.9' }),
    entry(4, { message: '', request: { ...request, status: 503, errorCode: 'upstream_unavailable' } }),
    entry(5, { level: 'error', message: 'listener failed: port 7860 is in use' }),
  ];

  it('shows everything with no filter', () => {
    expect(filterLogs(lines, { level: 'all', text: '' })).toBe(lines);
  });

  it('filters by minimum level, a 5xx request counting as an error', () => {
    expect(ids(filterLogs(lines, { level: 'info', text: '' }))).toEqual([2, 3, 4, 5]);
    expect(ids(filterLogs(lines, { level: 'warn', text: '' }))).toEqual([3, 4, 5]);
    expect(ids(filterLogs(lines, { level: 'error', text: '' }))).toEqual([4, 5]);
    expect(isErrorLine(lines[3]!)).toBe(true);
  });

  it('filters by text, case-insensitively, over message and request fields', () => {
    expect(ids(filterLogs(lines, { level: 'all', text: 'GEMINI-2.5' }))).toEqual([2, 4]);
    expect(ids(filterLogs(lines, { level: 'all', text: 'x9qk' }))).toEqual([2, 4]);
    expect(ids(filterLogs(lines, { level: 'all', text: ' port 7860 ' }))).toEqual([5]);
    expect(matchesLog(lines[3]!, { level: 'warn', text: 'upstream_unavailable' })).toBe(true);
  });

  it('summarises a request line compactly', () => {
    expect(requestSummary(request)).toBe(
      'POST /v1/chat/completions 200 812ms gemini-2.5-flash AIza…x9Qk 12→40 tok',
    );
    expect(requestSummary({ method: 'GET', path: '/v1/models', ip: '::1', status: 401, latencyMs: 1 })).toBe(
      'GET /v1/models 401 1ms',
    );
  });

  it('renders a line as text for the clipboard', () => {
    expect(logLineText(lines[4]!, '12:00:00')).toBe('12:00:00 ERROR listener failed: port 7860 is in use');
    // The request's fields once, not again through the server's console message.
    expect(logLineText(lines[1]!, '12:00:01')).toBe(`12:00:01 INFO  127.0.0.1 ${requestSummary(request)}`);
  });
});
