import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import type { ChatCompletionRequest } from '../../../main/server/openai/chat-request';
import { capabilitiesOf } from '../../../main/server/providers/gemini/model-capabilities';
import { thinkingConfigFor } from '../../../main/server/providers/gemini/thinking-config';

type Effort = NonNullable<ChatCompletionRequest['reasoning_effort']>;

const PRO_25 = capabilitiesOf('gemini-2.5-pro');
const FLASH_25 = capabilitiesOf('gemini-2.5-flash');
const LITE_25 = capabilitiesOf('gemini-2.5-flash-lite');
const PRO_3 = capabilitiesOf('gemini-3-pro-preview');
const FLASH_3 = capabilitiesOf('gemini-3-flash-preview');
const PRO_31 = capabilitiesOf('gemini-3.1-pro-preview');
const NO_THINKING = capabilitiesOf('gemini-2.0-flash');

describe('thinkingConfigFor: reasoning_effort (§4.5 table)', () => {
  const efforts: Effort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
  const table = {
    'gemini-2.5-pro': [128, 128, 1024, 8192, 24576, 24576, 32768],
    'gemini-2.5-flash': [0, 512, 1024, 8192, 24576, 24576, 24576],
    'gemini-2.5-flash-lite': [0, 512, 1024, 8192, 24576, 24576, 24576],
    'gemini-3-pro-preview': ['LOW', 'LOW', 'LOW', 'HIGH', 'HIGH', 'HIGH', 'HIGH'],
    'gemini-3-flash-preview': ['MINIMAL', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH'],
    'gemini-3.1-pro-preview': ['LOW', 'LOW', 'LOW', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH'],
  } as const;
  for (const [model, row] of Object.entries(table)) {
    it(model, () => {
      const caps = capabilitiesOf(model);
      const got = efforts.map((effort) => thinkingConfigFor(caps, { effort }, false));
      const expected = row.map((v) => (typeof v === 'number' ? { thinkingBudget: v } : { thinkingLevel: v }));
      expect(got).toStrictEqual(expected);
    });
  }
});

describe('thinkingConfigFor: suffixes and clamping', () => {
  it('maps off / max per family', () => {
    expect(thinkingConfigFor(FLASH_25, { suffix: { kind: 'off' } }, false)).toEqual({ thinkingBudget: 0 });
    expect(thinkingConfigFor(PRO_25, { suffix: { kind: 'off' } }, false)).toEqual({ thinkingBudget: 128 });
    expect(thinkingConfigFor(LITE_25, { suffix: { kind: 'max' } }, false)).toEqual({ thinkingBudget: 24576 });
    expect(thinkingConfigFor(FLASH_3, { suffix: { kind: 'off' } }, false)).toEqual({
      thinkingLevel: 'MINIMAL',
    });
    expect(thinkingConfigFor(PRO_31, { suffix: { kind: 'off' } }, false)).toEqual({ thinkingLevel: 'LOW' });
    expect(thinkingConfigFor(PRO_3, { suffix: { kind: 'max' } }, false)).toEqual({ thinkingLevel: 'HIGH' });
  });

  it.each([
    [1, 128],
    [127, 128],
    [128, 128],
    [5000, 5000],
    [32768, 32768],
    [40000, 32768],
  ])('clamps budget %i into 2.5 Pro range → %i', (budget, expected) => {
    expect(thinkingConfigFor(PRO_25, { suffix: { kind: 'budget', budget } }, false)).toEqual({
      thinkingBudget: expected,
    });
  });

  it.each([
    [1, 'LOW', 'LOW'],
    [1024, 'LOW', 'LOW'],
    [1025, 'MEDIUM', 'HIGH'],
    [8192, 'MEDIUM', 'HIGH'],
    [8193, 'HIGH', 'HIGH'],
  ])('maps budget %i to 3 Flash %s and 3 Pro %s', (budget, flash, pro) => {
    const suffix = { kind: 'budget', budget } as const;
    // A positive budget never maps below LOW: MINIMAL is only for "off".
    expect(thinkingConfigFor(FLASH_3, { suffix }, false)?.thinkingLevel).toBe(flash);
    expect(thinkingConfigFor(PRO_3, { suffix }, false)?.thinkingLevel).toBe(pro);
  });

  it('never sends both a budget and a level', () => {
    const extra = { thinking_budget: 4096, thinking_level: 'LOW' };
    expect(thinkingConfigFor(FLASH_25, { extra }, false)).toEqual({ thinkingBudget: 4096 });
    expect(thinkingConfigFor(PRO_3, { extra }, false)).toEqual({ thinkingLevel: 'LOW' });
  });
});

describe('thinkingConfigFor: priority and includeThoughts', () => {
  it('prefers extra > suffix > effort', () => {
    const all = {
      extra: { thinkingBudget: 3000 },
      suffix: { kind: 'budget', budget: 2000 } as const,
      effort: 'low' as const,
    };
    expect(thinkingConfigFor(FLASH_25, all, false)).toEqual({ thinkingBudget: 3000 });
    expect(thinkingConfigFor(FLASH_25, { ...all, extra: {} }, false)).toEqual({ thinkingBudget: 2000 });
    expect(thinkingConfigFor(FLASH_25, { effort: 'low' }, false)).toEqual({ thinkingBudget: 1024 });
  });

  it('accepts numeric strings for the budget and any casing for the level', () => {
    expect(thinkingConfigFor(FLASH_25, { extra: { thinking_budget: '2048' } }, false)).toEqual({
      thinkingBudget: 2048,
    });
    expect(thinkingConfigFor(FLASH_3, { extra: { thinkingLevel: 'Medium' } }, false)).toEqual({
      thinkingLevel: 'MEDIUM',
    });
  });

  it('treats a negative budget as dynamic: -1 on budget models, model default on level models', () => {
    expect(thinkingConfigFor(FLASH_25, { extra: { thinking_budget: -5 } }, false)).toEqual({
      thinkingBudget: -1,
    });
    expect(thinkingConfigFor(PRO_3, { extra: { thinking_budget: -1 } }, false)).toBeUndefined();
    expect(thinkingConfigFor(PRO_3, { extra: { thinking_budget: -1 } }, true)).toEqual({
      includeThoughts: true,
    });
  });

  it('sets includeThoughts only when the model ends up thinking', () => {
    expect(thinkingConfigFor(FLASH_25, {}, true)).toEqual({ includeThoughts: true });
    expect(thinkingConfigFor(LITE_25, {}, true)).toBeUndefined();
    expect(thinkingConfigFor(LITE_25, { effort: 'low' }, true)).toEqual({
      thinkingBudget: 1024,
      includeThoughts: true,
    });
    expect(thinkingConfigFor(FLASH_25, { effort: 'none' }, true)).toEqual({ thinkingBudget: 0 });
    expect(thinkingConfigFor(PRO_25, { effort: 'none' }, true)).toEqual({
      thinkingBudget: 128,
      includeThoughts: true,
    });
    expect(thinkingConfigFor(FLASH_25, {}, false)).toBeUndefined();
  });

  it("lets the extra's include_thoughts override the gateway setting both ways", () => {
    expect(thinkingConfigFor(PRO_3, { extra: { include_thoughts: false } }, true)).toBeUndefined();
    expect(thinkingConfigFor(PRO_3, { extra: { includeThoughts: true } }, false)).toEqual({
      includeThoughts: true,
    });
  });

  it('never sends thinkingConfig to a model without thinking', () => {
    const everything = {
      extra: { thinking_budget: 1024, include_thoughts: true },
      suffix: { kind: 'max' } as const,
      effort: 'high' as const,
    };
    expect(thinkingConfigFor(NO_THINKING, everything, true)).toBeUndefined();
  });

  it.each([
    [{ thinking_budget: 'lots' }],
    [{ thinking_budget: true }],
    [{ thinking_budget: Number.NaN }],
    [{ thinking_level: 'ULTRA' }],
    [{ thinking_level: 3 }],
    [{ include_thoughts: 'yes' }],
  ])('rejects a malformed thinking_config %j', (extra) => {
    expect(() => thinkingConfigFor(FLASH_3, { extra }, false)).toThrow(ApiError);
  });
});
