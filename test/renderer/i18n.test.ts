/** Both languages complete and consistent; detection, interpolation and Intl formatting. */
import { describe, expect, it } from 'vitest';
import { settingKeys, settingSpecs } from '../../shared/settings-schema';
import { createFormatter } from '../../renderer/i18n/format';
import { detectLang, messages, translate, type MessageKey } from '../../renderer/i18n/index';
import { SETTING_GROUPS } from '../../renderer/lib/settings-form';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const en = Object.keys(messages.en).sort();
  const zh = Object.keys(messages.zh).sort();

  it('have exactly the same keys', () => {
    expect(zh).toEqual(en);
  });

  it('have no empty strings', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const [key, text] of Object.entries(messages[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of en as MessageKey[]) {
      expect(placeholders(messages.zh[key]), key).toEqual(placeholders(messages.en[key]));
    }
  });

  it('name every settings group', () => {
    for (const group of SETTING_GROUPS) {
      expect(Object.keys(messages.en)).toContain(`group.${group}`);
    }
  });

  it('finds a label and help in both languages for every setting (from the schema)', () => {
    for (const key of settingKeys) {
      const { label, help } = settingSpecs[key];
      for (const text of [label.en, label.zh, help.en, help.zh]) expect(text.trim(), key).not.toBe('');
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'keys.addResult', { added: 2, duplicates: 1 })).toBe(
      '2 added, 1 already present.',
    );
    expect(translate('zh', 'keys.addResult', { added: 2, duplicates: 1 })).toBe('已添加 2 个，1 个已存在。');
    expect(translate('en', 'keys.addResult', { added: 2 })).toBe('2 added, {duplicates} already present.');
  });
});

describe('detectLang', () => {
  it('prefers the saved choice, then the OS language', () => {
    expect(detectLang('en', ['zh-CN'])).toBe('en');
    expect(detectLang(null, ['zh-TW', 'en'])).toBe('zh');
    expect(detectLang(null, ['en-GB'])).toBe('en');
    expect(detectLang(null, ['fr-FR', 'zh-CN'])).toBe('zh');
    expect(detectLang('klingon', ['de'])).toBe('en');
  });
});

describe('formatter', () => {
  const en = createFormatter('en');
  const zh = createFormatter('zh');

  it('formats durations with their two largest units', () => {
    expect(en.duration(3 * 86400 + 4 * 3600 + 59)).toBe('3d 4h');
    expect(en.duration(125)).toBe('2m 5s');
    expect(en.duration(0)).toBe('0s');
    expect(zh.duration(3600)).toMatch(/^1\s?小时$/);
  });

  it('formats countdowns and sizes', () => {
    expect(en.countdown(42.2)).toBe('0:43');
    expect(en.countdown(3723)).toBe('1:02:03');
    expect(en.bytes(1536)).toBe('1.5kB');
    expect(en.bytes(727)).toBe('727B');
    expect(en.number(1234567)).toBe('1,234,567');
  });
});
