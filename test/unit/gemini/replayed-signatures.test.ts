/** Replayed thought signatures (providers/gemini/replayed-signatures.ts): finding, dropping, recognising a refusal. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import type { GeminiGenerateContentRequest } from '../../../main/server/providers/gemini/gemini-types';
import {
  isSignatureRejection,
  replaysSignatures,
  SKIP_THOUGHT_SIGNATURE,
  withoutReplayedSignatures,
} from '../../../main/server/providers/gemini/replayed-signatures';

const call = (name: string, thoughtSignature?: string) => ({
  functionCall: { name, args: {} },
  ...(thoughtSignature === undefined ? {} : { thoughtSignature }),
});
const answer = (name: string) => ({ functionResponse: { name, response: { ok: true } } });

/** An old tool turn, then the current one: user text, a signed call, its answer, a second step. */
const request = (): GeminiGenerateContentRequest => ({
  contents: [
    { role: 'user', parts: [{ text: 'Weather in Lima?' }] },
    { role: 'model', parts: [call('get_weather', 'c2lnLW9sZA==')] },
    { role: 'user', parts: [answer('get_weather')] },
    { role: 'model', parts: [{ text: 'Sunny.' }] },
    { role: 'user', parts: [{ text: 'And in Quito?' }] },
    { role: 'model', parts: [call('get_weather', 'c2lnLW5ldw=='), call('get_time')] },
    { role: 'user', parts: [answer('get_weather'), answer('get_time')] },
  ],
  generationConfig: { temperature: 0 },
});

describe('replaysSignatures', () => {
  it('sees a signature Gemini made, not the skip marker', () => {
    expect(replaysSignatures(request().contents)).toBe(true);
    expect(replaysSignatures([{ role: 'model', parts: [call('f', SKIP_THOUGHT_SIGNATURE)] }])).toBe(false);
    expect(replaysSignatures([{ role: 'user', parts: [{ text: 'hi' }] }])).toBe(false);
  });
});

describe('withoutReplayedSignatures', () => {
  it('drops every signature; where Gemini 3 needs one in the current turn the skip marker stands in', () => {
    const original = request();
    const resent = withoutReplayedSignatures(original, true);
    expect(resent.contents[1]?.parts).toEqual([call('get_weather')]);
    expect(resent.contents[5]?.parts).toEqual([
      call('get_weather', SKIP_THOUGHT_SIGNATURE),
      call('get_time'),
    ]);
    expect(resent.generationConfig).toEqual({ temperature: 0 });
    // Pure: the request it was given is unchanged.
    expect(original).toEqual(request());
  });

  it('models that do not check signatures get none at all', () => {
    const resent = withoutReplayedSignatures(request(), false);
    expect(replaysSignatures(resent.contents)).toBe(false);
    expect(JSON.stringify(resent)).not.toContain('thoughtSignature');
  });
});

describe('isSignatureRejection', () => {
  it.each([
    ['Corrupted thought signature.', true],
    ['Invalid thought signature in function call parts.', true],
    ['Invalid thought_signature', true],
    ['Function call is missing a thought_signature in functionCall parts.', false],
    ['Request contains an invalid argument.', false],
  ])('%s → %s', (message, expected) => {
    expect(isSignatureRejection(new ApiError('upstream_invalid_request', message))).toBe(expected);
  });

  it('only for Gemini 400s', () => {
    expect(isSignatureRejection(new ApiError('upstream_unavailable', 'Corrupted thought signature.'))).toBe(
      false,
    );
  });
});
