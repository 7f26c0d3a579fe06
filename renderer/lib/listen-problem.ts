/**
 * Why the listener is not running, in the window's language: the window's words for each cause the
 * gateway reports as a code; which words a status gets (and the English fallback) is decided in
 * shared/listen-problem.ts, for the tray too.
 */
import { listenFailureText, settingList, type ListenState } from '../../shared/listen-problem';
import type { Lang, Translate } from '../i18n/index';

/** The reason to show, or null while nothing failed. */
export function listenErrorText(status: ListenState, t: Translate, lang: Lang): string | null {
  return listenFailureText(status, {
    port_in_use: (port) => t('listen.port_in_use', { port }),
    port_denied: (port) => t('listen.port_denied', { port }),
    address_unavailable: (host) => t('listen.address_unavailable', { host }),
    host_unresolved: (host) => t('listen.host_unresolved', { host }),
    secrets_unreadable: (keys) =>
      t('listen.secrets_unreadable', {
        settings: settingList(keys, lang, (name) => t('listen.settingName', { name })),
      }),
    stillServing: (error, address) => t('listen.stillServing', { error, address }),
  });
}
