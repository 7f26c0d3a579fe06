/** Which log lines the Logs page shows, and their one-line text (for the copy button and search). */
import type { LogEntry, LogLevel, RequestLogFields } from '../../shared/admin-dto';

/** A minimum level: 'warn' shows warnings and errors. */
export type LevelFilter = 'all' | Exclude<LogLevel, 'debug'>;
export const LEVEL_FILTERS: readonly LevelFilter[] = ['all', 'info', 'warn', 'error'];

export interface LogFilter {
  level: LevelFilter;
  text: string;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A failed request is an error line even if the server logged it at a lower level. */
export const isErrorLine = (entry: LogEntry): boolean =>
  entry.level === 'error' || (entry.request !== undefined && entry.request.status >= 500);

export function tokensText(r: RequestLogFields): string {
  if (r.promptTokens === undefined && r.completionTokens === undefined) return '';
  const reasoning = r.reasoningTokens ? ` (+${r.reasoningTokens})` : '';
  return `${r.promptTokens ?? 0}→${r.completionTokens ?? 0}${reasoning} tok`;
}

/** `POST /v1/chat/completions 200 812ms gemini-2.5-flash AIza…x9Qk 12→40 tok` */
export function requestSummary(r: RequestLogFields): string {
  return [
    r.method,
    r.path,
    String(r.status),
    `${Math.round(r.latencyMs)}ms`,
    r.model,
    r.key,
    tokensText(r),
    r.errorCode,
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}

/** The line as text: time, level, then the message and (for requests) the summary. */
/**
 * A line as text for the clipboard. A request entry is shown from its fields (the server's message
 * for it is the same information, formatted for a console), so it is not repeated.
 */
export function logLineText(entry: LogEntry, time: string): string {
  const body = entry.request ? `${entry.request.ip} ${requestSummary(entry.request)}` : entry.message;
  return `${time} ${entry.level.toUpperCase().padEnd(5)} ${body}`.trimEnd();
}

export function matchesLog(entry: LogEntry, filter: LogFilter): boolean {
  const level = isErrorLine(entry) ? 'error' : entry.level;
  if (filter.level !== 'all' && RANK[level] < RANK[filter.level]) return false;
  const needle = filter.text.trim().toLowerCase();
  if (needle === '') return true;
  const haystack = entry.request ? `${entry.message} ${requestSummary(entry.request)}` : entry.message;
  return haystack.toLowerCase().includes(needle);
}

export const filterLogs = (entries: readonly LogEntry[], filter: LogFilter): readonly LogEntry[] =>
  filter.level === 'all' && filter.text.trim() === ''
    ? entries
    : entries.filter((e) => matchesLog(e, filter));
