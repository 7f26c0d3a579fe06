/**
 * Which words a listener failure gets, decided once for the window (renderer/lib/listen-problem.ts)
 * and the tray (main/electron/tray-i18n.ts), each of which keeps its words in its own tables. The
 * gateway reports a known cause as a code (ListenProblem) beside its English text (listenError): the
 * code is worded in the reader's language, wrapped in "still serving" after a failed move; the English
 * text is shown as it is for a cause without a code — or with a code this reader does not know yet
 * (the window may talk to a newer headless gateway).
 */
import type { ListenProblem } from './admin-dto';
import { settingSpecs, type SettingKey, type Text } from './settings-schema';

/** One language's words for each known cause. */
export interface ListenProblemWords {
  port_in_use(port: number): string;
  port_denied(port: number): string;
  address_unavailable(host: string): string;
  host_unresolved(host: string): string;
  secrets_unreadable(settings: readonly SettingKey[]): string;
  /** A move to a new address failed (`error`, already worded); the old listener serves at `address`. */
  stillServing(error: string, address: string): string;
}

/** Both GatewayStatus (null when no code) and the tray's ServerHostStatus (absent) fit. */
export interface ListenState {
  listenError: string | null;
  listenProblem?: ListenProblem | null;
}

function problemText(problem: ListenProblem, words: ListenProblemWords): string | null {
  switch (problem.code) {
    case 'port_in_use':
      return words.port_in_use(problem.port);
    case 'port_denied':
      return words.port_denied(problem.port);
    case 'address_unavailable':
      return words.address_unavailable(problem.host);
    case 'host_unresolved':
      return words.host_unresolved(problem.host);
    case 'secrets_unreadable':
      return words.secrets_unreadable(problem.settings);
    default:
      return null; // a code from a newer gateway
  }
}

/** The reason to show, or null while nothing failed. */
export function listenFailureText(status: ListenState, words: ListenProblemWords): string | null {
  const { listenError, listenProblem } = status;
  if (listenError === null) return null;
  const text = listenProblem ? problemText(listenProblem, words) : null;
  if (text === null || !listenProblem) return listenError;
  return listenProblem.stillServing ? words.stillServing(text, listenProblem.stillServing) : text;
}

/**
 * Settings named by their labels in one language and listed as that language lists ("A" and "B",
 * “A”和“B”). A key this build does not know (from a newer gateway) is named by itself.
 */
export function settingList(
  keys: readonly string[],
  lang: keyof Text,
  quote: (label: string) => string,
): string {
  const names = keys.map((key) =>
    quote(Object.hasOwn(settingSpecs, key) ? settingSpecs[key as SettingKey].label[lang] : key),
  );
  return new Intl.ListFormat(lang === 'zh' ? 'zh-CN' : 'en', { type: 'conjunction' }).format(names);
}
