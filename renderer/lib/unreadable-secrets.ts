/**
 * The dashboard's `secrets_unreadable` warning in the window's language: which saved secrets the
 * system keychain could not decrypt, named by their labels, and where to enter them again. Gemini keys
 * are not on the Settings page (settings-form.ts MANAGED_ELSEWHERE), so the Keys page is named for them.
 */
import { settingList } from '../../shared/listen-problem';
import type { Lang, Translate } from '../i18n/index';

export function unreadableSecretsText(keys: readonly string[], t: Translate, lang: Lang): string {
  const settings = settingList(keys, lang, (name) => t('listen.settingName', { name }));
  const text = t('warning.secrets_unreadable', { settings });
  if (!keys.includes('geminiApiKeys')) return text;
  // Chinese runs sentences together; English parts them with a space.
  return `${text}${lang === 'zh' ? '' : ' '}${t('warning.secrets_unreadableGeminiKeys')}`;
}
