import type { LogEntry, LogLevel } from './log-bus';

const LEVEL_LABEL: Record<LogLevel, string> = {
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
};

/** `YYYY-MM-DDTHH:MM:SS.` of the last second formatted: a busy server logs many lines per second. */
let lastSecond = Number.NaN;
let lastPrefix = '';

const isoTime = (time: number): string => {
  const ms = Math.floor(time);
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${lastPrefix}${String(ms - second * 1000).padStart(3, '0')}Z`;
};

/** One console line per log entry: ISO time, level, message (already redacted by the bus). */
export const formatLogLine = (entry: LogEntry): string =>
  `${isoTime(entry.time)} ${LEVEL_LABEL[entry.level]} ${entry.message}\n`;
