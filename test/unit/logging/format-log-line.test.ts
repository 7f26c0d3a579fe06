import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../main/server/logging/format-log-line';
import type { LogEntry } from '../../../main/server/logging/log-bus';

const line = (time: number, level: LogEntry['level'] = 'info', message = 'hello') =>
  formatLogLine({ id: 1, time, level, message });

describe('formatLogLine', () => {
  it('writes the ISO time, the level padded to five and the message', () => {
    const t = Date.UTC(2026, 10, 26, 9, 5, 7, 42);
    expect(line(t)).toBe('2026-11-26T09:05:07.042Z INFO  hello\n');
    expect(line(t, 'error', 'x')).toBe('2026-11-26T09:05:07.042Z ERROR x\n');
    expect(line(t, 'warn')).toBe('2026-11-26T09:05:07.042Z WARN  hello\n');
    expect(line(t, 'debug')).toBe('2026-11-26T09:05:07.042Z DEBUG hello\n');
  });

  it('matches Date#toISOString for every time, within a second and across seconds, days and years', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    for (let t = start; t < start + 2500; t += 7) {
      expect(line(t).slice(0, 24)).toBe(new Date(t).toISOString());
    }
    for (const t of [0, 999, 1000, Date.UTC(2000, 1, 29, 12), start, start - 5000]) {
      expect(line(t).slice(0, 24)).toBe(new Date(t).toISOString());
    }
    expect(line(1_700_000_000_123.9).slice(0, 24)).toBe(new Date(1_700_000_000_123).toISOString());
  });
});
