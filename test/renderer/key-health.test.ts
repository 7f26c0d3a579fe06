/**
 * The key tables' pure logic (Gemini and xAI keys): the status badge with a cool-down's time left or
 * the reason a key is off, and which ended cool-downs make the list ask again; the xAI section's
 * words in both languages.
 */
import { describe, expect, it } from 'vitest';
import type { KeyHealth } from '../../shared/admin-dto';
import { createFormatter } from '../../renderer/i18n/format';
import { translate } from '../../renderer/i18n/index';
import { endedCooldowns, keyStatusBadge } from '../../renderer/lib/key-health';

const NOW = 1_750_000_000_000;

const key = (over: Partial<KeyHealth> = {}): KeyHealth => ({
  id: 'k1',
  masked: 'xai-…0001',
  status: 'active',
  cooldownUntil: null,
  disabledReason: null,
  requests: 0,
  successes: 0,
  failures: 0,
  promptTokens: 0,
  completionTokens: 0,
  lastUsedAt: null,
  lastError: null,
  ...over,
});

describe('keyStatusBadge', () => {
  it('active', () => {
    expect(keyStatusBadge(key(), NOW)).toEqual({ tone: 'ok', status: 'active' });
  });

  it('cooling, with the seconds left — as the countdown of the badge reads them', () => {
    const badge = keyStatusBadge(key({ status: 'cooling', cooldownUntil: NOW + 42_500 }), NOW);
    expect(badge).toEqual({ tone: 'warning', status: 'cooling', secondsLeft: 42.5 });
    const left = createFormatter('en').countdown(badge.status === 'cooling' ? badge.secondsLeft : -1);
    expect(translate('en', 'keys.status.cooling', { left })).toBe('Cooling down 0:43');
    expect(translate('zh', 'keys.status.cooling', { left })).toBe('冷却中 0:43');
  });

  it('cooling that our clock sees as ended, or without an end, shows no time left (never negative)', () => {
    expect(keyStatusBadge(key({ status: 'cooling', cooldownUntil: NOW - 3_000 }), NOW)).toMatchObject({
      secondsLeft: 0,
    });
    expect(keyStatusBadge(key({ status: 'cooling', cooldownUntil: null }), NOW)).toMatchObject({
      secondsLeft: 0,
    });
  });

  it('disabled, with the reason when there is one', () => {
    const reason = 'HTTP 400 from xAI: Incorrect API key provided: xa***01.';
    expect(keyStatusBadge(key({ status: 'disabled', disabledReason: reason }), NOW)).toEqual({
      tone: 'danger',
      status: 'disabled',
      reason,
    });
    expect(keyStatusBadge(key({ status: 'disabled' }), NOW)).toMatchObject({ reason: null });
  });
});

describe('endedCooldowns', () => {
  const keys = [
    key({ id: 'a', status: 'cooling', cooldownUntil: NOW - 1 }),
    key({ id: 'b', status: 'cooling', cooldownUntil: NOW }),
    key({ id: 'c', status: 'cooling', cooldownUntil: NOW + 1 }),
    key({ id: 'd', status: 'disabled' }),
    key({ id: 'e' }),
  ];

  it('the cool-downs over by now, tagged with their end', () => {
    expect(endedCooldowns(keys, NOW, new Set())).toEqual([`a@${NOW - 1}`, `b@${NOW}`]);
  });

  it('each only once, but again when the key cools down anew', () => {
    const asked = new Set([`a@${NOW - 1}`, `b@${NOW}`]);
    expect(endedCooldowns(keys, NOW + 5, asked)).toEqual([`c@${NOW + 1}`]);
    const again = [key({ id: 'a', status: 'cooling', cooldownUntil: NOW + 2 })];
    expect(endedCooldowns(again, NOW + 5, asked)).toEqual([`a@${NOW + 2}`]);
  });
});

describe('the xAI keys section in both languages', () => {
  it('names the section and the setting the keys come from', () => {
    expect(translate('en', 'xaiKeys.title')).toBe('xAI keys');
    expect(translate('zh', 'xaiKeys.title')).toBe('xAI 密钥');
    for (const lang of ['en', 'zh'] as const) {
      expect(translate(lang, 'xaiKeys.none')).toContain('XAI_API_KEYS');
      expect(translate(lang, 'xaiKeys.help')).toContain('XAI_API_KEYS');
      expect(translate(lang, 'xaiKeys.enabledAgain', { key: 'xai-…0002' })).toContain('xai-…0002');
    }
  });
});
