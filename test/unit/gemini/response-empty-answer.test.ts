import { describe, expect, it } from 'vitest';
import { isEmptyAnswer } from '../../../main/server/providers/gemini/convert-response';
import type { GeminiCandidate, GeminiPart } from '../../../main/server/providers/gemini/gemini-types';

const candidate = (parts: GeminiPart[] | undefined, finishReason = 'STOP', index = 0): GeminiCandidate => ({
  content: parts === undefined ? { role: 'model' } : { role: 'model', parts },
  finishReason,
  index,
});

describe('isEmptyAnswer', () => {
  it('is true for a STOP candidate without parts, or with only empty or thought parts', () => {
    expect(isEmptyAnswer({ candidates: [candidate(undefined)] })).toBe(true);
    expect(isEmptyAnswer({ candidates: [candidate([])] })).toBe(true);
    expect(
      isEmptyAnswer({ candidates: [candidate([{ text: '' }, { text: '', thoughtSignature: 'c2ln' }])] }),
    ).toBe(true);
    expect(isEmptyAnswer({ candidates: [candidate([{ text: 'Thinking…', thought: true }])] })).toBe(true);
    expect(
      isEmptyAnswer({
        candidates: [candidate([{ inlineData: { mimeType: 'image/png', data: 'eA==' }, thought: true }])],
      }),
    ).toBe(true);
  });

  it('is true when there are no candidates and no prompt block', () => {
    expect(isEmptyAnswer({})).toBe(true);
    expect(isEmptyAnswer({ candidates: [], usageMetadata: { promptTokenCount: 3 } })).toBe(true);
  });

  it('is true for finish reasons that do not explain emptiness', () => {
    for (const reason of ['OTHER', 'MALFORMED_FUNCTION_CALL', 'FINISH_REASON_UNSPECIFIED', 'NO_IMAGE']) {
      expect(isEmptyAnswer({ candidates: [candidate(undefined, reason)] })).toBe(true);
    }
  });

  it('is false as soon as anything visible was produced', () => {
    const visible: GeminiPart[] = [
      { text: 'Hi' },
      { functionCall: { name: 'f' } },
      { inlineData: { mimeType: 'image/jpeg', data: 'eA==' } },
      { executableCode: { language: 'PYTHON', code: 'print(1)' } },
      { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1' } },
    ];
    for (const part of visible) expect(isEmptyAnswer({ candidates: [candidate([part])] })).toBe(false);
  });

  it('is false when any candidate of several has visible output', () => {
    expect(isEmptyAnswer({ candidates: [candidate(undefined), candidate([{ text: 'B' }], 'STOP', 1)] })).toBe(
      false,
    );
  });

  it('is false when the finish reason explains the emptiness (length cut or filter)', () => {
    for (const reason of ['MAX_TOKENS', 'SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY']) {
      expect(isEmptyAnswer({ candidates: [candidate(undefined, reason)] })).toBe(false);
    }
  });

  it('is false for a blocked prompt', () => {
    expect(isEmptyAnswer({ promptFeedback: { blockReason: 'SAFETY' } })).toBe(false);
  });
});
