/**
 * Why the listener is not running, in the window's language. The gateway reports known causes as a
 * code (GatewayStatus.listenProblem) beside its English words (listenError); the words are shown as
 * they are only for a cause without a code — or a code this window does not know yet.
 */
import type { GatewayStatus, ListenProblem } from '../../shared/admin-dto';
import { settingSpecs, type SettingKey } from '../../shared/settings-schema';
import { localeOf, type Lang, type Translate } from '../i18n/index';

type ListenState = Pick<GatewayStatus, 'listenError' | 'listenProblem'>;

const settingName = (key: SettingKey, t: Translate, lang: Lang): string =>
  t('listen.settingName', { name: Object.hasOwn(settingSpecs, key) ? settingSpecs[key].label[lang] : key });

function problemText(problem: ListenProblem, t: Translate, lang: Lang): string | null {
  switch (problem.code) {
    case 'port_in_use':
    case 'port_denied':
      return t(`listen.${problem.code}`, { port: problem.port });
    case 'address_unavailable':
    case 'host_unresolved':
      return t(`listen.${problem.code}`, { host: problem.host });
    case 'secrets_unreadable': {
      const names = problem.settings.map((key) => settingName(key, t, lang));
      const list = new Intl.ListFormat(localeOf(lang), { type: 'conjunction' }).format(names);
      return t('listen.secrets_unreadable', { settings: list });
    }
    default:
      return null; // a code from a newer gateway
  }
}

/** The reason to show, or null while nothing failed. */
export function listenErrorText(status: ListenState, t: Translate, lang: Lang): string | null {
  const { listenError, listenProblem } = status;
  if (listenError === null) return null;
  const text = listenProblem ? problemText(listenProblem, t, lang) : null;
  if (text === null || !listenProblem) return listenError;
  return listenProblem.stillServing
    ? t('listen.stillServing', { error: text, address: listenProblem.stillServing })
    : text;
}
