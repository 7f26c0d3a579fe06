/** What every page reads from above: the transport (the admin API) and the current language. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Formatter } from '../i18n/format';
import type { Lang, Translate } from '../i18n/index';
import type { Transport } from '../lib/api';

export const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('useTransport outside <App>');
  return transport;
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  fmt: Formatter;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <App>');
  return i18n;
}
