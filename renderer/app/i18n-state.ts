/** The language of the window: detected once, switchable, remembered, mirrored on <html lang>. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { z } from 'zod';
import zodEn from 'zod/v4/locales/en.js';
import zodZh from 'zod/v4/locales/zh-CN.js';
import { createFormatter } from '../i18n/format';
import { detectLang, LANG_STORAGE_KEY, localeOf, translate, type Lang } from '../i18n/index';
import type { I18n } from './context';

const storedLang = (): string | null => {
  try {
    return localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null; // storage disabled: follow the OS every time
  }
};

export function useI18nState(): I18n {
  const [lang, setLangState] = useState<Lang>(() => detectLang(storedLang(), navigator.languages));

  useEffect(() => {
    document.documentElement.lang = localeOf(lang);
    document.title = translate(lang, 'app.title');
  }, [lang]);

  return useMemo<I18n>(() => {
    // Validation messages of the settings schema come from zod: in the window's language too. Set
    // here, before the render that validates, not in an effect after it.
    z.config((lang === 'zh' ? zodZh : zodEn)());
    return {
      lang,
      setLang(next) {
        try {
          localStorage.setItem(LANG_STORAGE_KEY, next);
        } catch {
          // not remembered, still switched
        }
        setLangState(next);
      },
      t: (key, params) => translate(lang, key, params),
      fmt: createFormatter(lang),
    };
  }, [lang]);
}
