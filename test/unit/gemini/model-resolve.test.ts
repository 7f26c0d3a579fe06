import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { resolveModel } from '../../../main/server/providers/gemini/resolve-model';

describe('resolveModel', () => {
  it.each([
    ['gemini-2.5-flash', { upstream: 'gemini-2.5-flash' }],
    ['models/gemini-2.5-flash', { upstream: 'gemini-2.5-flash' }],
    ['gemini-2.5-flash-nothinking', { upstream: 'gemini-2.5-flash', suffix: { kind: 'off' } }],
    ['gemini-2.5-pro-maxthinking', { upstream: 'gemini-2.5-pro', suffix: { kind: 'max' } }],
    [
      'gemini-2.5-pro-thinking-4096',
      { upstream: 'gemini-2.5-pro', suffix: { kind: 'budget', budget: 4096 } },
    ],
    ['gemini-2.5-flash-thinking-0', { upstream: 'gemini-2.5-flash', suffix: { kind: 'off' } }],
    [
      'models/gemini-3-pro-preview-MaxThinking',
      { upstream: 'gemini-3-pro-preview', suffix: { kind: 'max' } },
    ],
    ['gemini-2.5-flash-preview-09-2025', { upstream: 'gemini-2.5-flash-preview-09-2025' }],
    ['gemini-2.5-flash-thinking', { upstream: 'gemini-2.5-flash-thinking' }],
    ['gemini-2.5-flash-thinking--5', { upstream: 'gemini-2.5-flash-thinking--5' }],
    ['learnlm_2.0', { upstream: 'learnlm_2.0' }],
  ])('%s', (requested, expected) => {
    expect(resolveModel(requested)).toStrictEqual({ requested, ...expected });
  });

  it('keeps a huge budget a safe integer (clamping happens later)', () => {
    expect(resolveModel('gemini-2.5-flash-thinking-99999999999999999999999').suffix).toEqual({
      kind: 'budget',
      budget: Number.MAX_SAFE_INTEGER,
    });
  });

  it('accepts a 128-character id and rejects 129', () => {
    expect(resolveModel('a'.repeat(128)).upstream).toBe('a'.repeat(128));
    expect(() => resolveModel('a'.repeat(129))).toThrow(ApiError);
  });

  it.each([
    '',
    'models/',
    '../secrets',
    'gemini..flash',
    'gemini-2.5-flash/../../files',
    'gemini-2.5-flash:generateContent',
    'gemini-2.5-flash?key=abc',
    'gemini-2.5-flash#x',
    'gemini 2.5 flash',
    'gemini%2e2.5',
    '-nothinking',
    '.hidden',
    'models/models/gemini-2.5-flash',
    'gemini-2.5-flash\n',
    'gémini',
  ])('rejects hostile or malformed id %j with invalid_request on model', (requested) => {
    let thrown: unknown;
    try {
      resolveModel(requested);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ code: 'invalid_request', param: 'model', status: 400 });
  });
});
