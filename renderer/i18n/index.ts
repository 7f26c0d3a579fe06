/**
 * The window's two languages. Every visible string goes through translate(); the dictionaries are
 * typed so zh must have exactly the keys of en (and a unit test checks neither has empty strings).
 * Setting labels and help come from the settings schema itself (its `label`/`help` in en and zh).
 */
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type { MessageKey } from './en';
export type Lang = 'en' | 'zh';

export const LANGS: readonly Lang[] = ['zh', 'en'];
/** Each language named in itself, as language pickers do. */
export const LANG_NAMES: Record<Lang, string> = { zh: '简体中文', en: 'English' };
export const LANG_STORAGE_KEY = 'gemgate.lang';

export const messages: Record<Lang, Record<MessageKey, string>> = { en, zh };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** `{name}` placeholders are filled from params; unknown ones stay visible rather than vanish. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = messages[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : match,
  );
}

/** The saved choice wins; else the OS language (any zh-* → Simplified Chinese); else English. */
export function detectLang(stored: string | null, languages: readonly string[]): Lang {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const language of languages) {
    const tag = language.toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The BCP 47 tag for `<html lang>` and Intl. */
export const localeOf = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en');
