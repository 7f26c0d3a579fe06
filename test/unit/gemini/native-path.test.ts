/** Reading a native request line: model/action split, model-id safety, query credentials, framing. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import {
  forwardedQuery,
  nativeModelId,
  parseModelAction,
  streamFramingOf,
} from '../../../main/server/providers/gemini/native-path';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (err) {
    return err instanceof ApiError ? `${err.status} ${err.code}` : 'not an ApiError';
  }
  return undefined;
};

describe('parseModelAction', () => {
  it('splits on the last colon; model ids keep their dots and dashes', () => {
    expect(parseModelAction('gemini-2.5-flash:generateContent')).toEqual({
      model: 'gemini-2.5-flash',
      action: 'generateContent',
    });
    expect(parseModelAction('gemini-3.1-pro-preview:streamGenerateContent')).toEqual({
      model: 'gemini-3.1-pro-preview',
      action: 'streamGenerateContent',
    });
    for (const action of ['countTokens', 'embedContent', 'batchEmbedContents'] as const) {
      expect(parseModelAction(`text-embedding-004:${action}`).action).toBe(action);
    }
    expect(parseModelAction('imagen-4.0-generate-001:predict')).toEqual({
      model: 'imagen-4.0-generate-001',
      action: 'predict',
    });
  });

  it('relays thinking suffixes as part of the id (native clients set thinkingConfig themselves)', () => {
    expect(parseModelAction('gemini-2.5-flash-nothinking:generateContent').model).toBe(
      'gemini-2.5-flash-nothinking',
    );
  });

  it('unknown, missing or unrelayed actions are 404', () => {
    for (const segment of [
      'gemini-2.5-flash',
      'gemini-2.5-flash:',
      'm:predictLongRunning',
      'm:GenerateContent',
      'm:x',
    ]) {
      expect(
        codeOf(() => parseModelAction(segment)),
        segment,
      ).toBe('404 not_found');
    }
  });

  it('model ids that could steer the upstream URL are 400', () => {
    for (const model of ['', '../admin', 'a/b', 'a:b', 'a?b', 'a#b', 'a b', 'a..b', '-x', 'x'.repeat(129)]) {
      expect(
        codeOf(() => parseModelAction(`${model}:generateContent`)),
        model,
      ).toBe('400 invalid_request');
    }
  });

  it('a models/ prefix is dropped', () => {
    expect(nativeModelId('models/gemini-2.0-flash')).toBe('gemini-2.0-flash');
  });
});

describe('forwardedQuery', () => {
  it('drops credentials and keeps everything else in order', () => {
    const q = forwardedQuery(
      '/v1beta/models/m:streamGenerateContent?key=secret&alt=sse&Key=x&access_token=t&$alt=sse&x=1#frag',
    );
    expect([...q]).toEqual([
      ['alt', 'sse'],
      ['$alt', 'sse'],
      ['x', '1'],
    ]);
    expect(q.toString()).not.toContain('secret');
  });

  it('no query is an empty one', () => {
    expect(forwardedQuery('/v1beta/models').toString()).toBe('');
    expect(forwardedQuery('/v1beta/models?key=only').toString()).toBe('');
  });
});

describe('streamFramingOf', () => {
  it.each([
    ['alt=sse', 'sse'],
    ['$alt=sse', 'sse'],
    ['alt=SSE', 'sse'],
    ['$alt=sse;enum-encoding=int', 'sse'],
    ['alt=json', 'array'],
    ['', 'array'],
  ])('%s → %s', (query, framing) => {
    expect(streamFramingOf(new URLSearchParams(query))).toBe(framing);
  });
});
