import { describe, expect, it } from 'vitest';
import { mapUsage } from '../../../main/server/providers/gemini/map-usage';

describe('mapUsage', () => {
  it('maps a plain thinking response (§3.3 example numbers)', () => {
    expect(
      mapUsage({
        promptTokenCount: 9,
        candidatesTokenCount: 5,
        thoughtsTokenCount: 120,
        totalTokenCount: 134,
      }),
    ).toStrictEqual({
      prompt_tokens: 9,
      completion_tokens: 125,
      total_tokens: 134,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 120 },
    });
  });

  it('gives zeros with both detail objects when there is no usage at all', () => {
    expect(mapUsage(undefined)).toStrictEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('counts tool-use prompt tokens as prompt and recomputes the total when Gemini omits it', () => {
    const usage = mapUsage({ promptTokenCount: 30, toolUsePromptTokenCount: 12, candidatesTokenCount: 7 });
    expect(usage.prompt_tokens).toBe(42);
    expect(usage.completion_tokens).toBe(7);
    expect(usage.total_tokens).toBe(49);
  });

  it('adds up even when Gemini reports an inconsistent total', () => {
    const usage = mapUsage({ promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 100 });
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.total_tokens).toBe(7);
  });

  it('takes cached tokens from cachedContentTokenCount, else from the cache modality details', () => {
    expect(
      mapUsage({
        promptTokenCount: 2000,
        cachedContentTokenCount: 1500,
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 1 }],
      }).prompt_tokens_details?.cached_tokens,
    ).toBe(1500);
    expect(
      mapUsage({
        promptTokenCount: 2000,
        cacheTokensDetails: [
          { modality: 'TEXT', tokenCount: 1000 },
          { modality: 'IMAGE', tokenCount: 258 },
        ],
      }).prompt_tokens_details?.cached_tokens,
    ).toBe(1258);
  });

  it('reports audio tokens from the modality details only when Gemini breaks them out', () => {
    const withAudio = mapUsage({
      promptTokenCount: 500,
      candidatesTokenCount: 80,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: 100 },
        { modality: 'AUDIO', tokenCount: 400 },
      ],
      candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: 80 }],
    });
    expect(withAudio.prompt_tokens_details).toStrictEqual({ cached_tokens: 0, audio_tokens: 400 });
    expect(withAudio.completion_tokens_details).toStrictEqual({ reasoning_tokens: 0, audio_tokens: 80 });

    const textOnly = mapUsage({
      promptTokenCount: 5,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
    });
    expect(textOnly.prompt_tokens_details).not.toHaveProperty('audio_tokens');
    expect(textOnly.completion_tokens_details).not.toHaveProperty('audio_tokens');
  });
});
