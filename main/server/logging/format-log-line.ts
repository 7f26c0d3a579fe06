import type { LogEntry } from './log-bus';

/** One console line per log entry: ISO time, level, message (already redacted by the bus). */
export const formatLogLine = (entry: LogEntry): string =>
  `${new Date(entry.time).toISOString()} ${entry.level.toUpperCase().padEnd(5)} ${entry.message}\n`;
