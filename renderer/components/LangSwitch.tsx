import { useI18n } from '../app/context';
import { LANG_NAMES, LANGS, localeOf, type Lang } from '../i18n/index';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label class="lang-switch">
      <span class="visually-hidden">{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)} data-testid="lang-switch">
        {LANGS.map((l) => (
          <option key={l} value={l} lang={localeOf(l)}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
