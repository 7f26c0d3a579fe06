import { describe, expect, it } from 'vitest';
import { mapFinishReason } from '../../../main/server/providers/gemini/map-finish-reason';

// Every value of the js-genai enum (wire-format §1.5.1) with its §4.6.1 mapping, without a tool call.
const table: [string, string][] = [
  ['FINISH_REASON_UNSPECIFIED', 'stop'],
  ['STOP', 'stop'],
  ['MAX_TOKENS', 'length'],
  ['SAFETY', 'content_filter'],
  ['RECITATION', 'content_filter'],
  ['LANGUAGE', 'stop'],
  ['OTHER', 'stop'],
  ['BLOCKLIST', 'content_filter'],
  ['PROHIBITED_CONTENT', 'content_filter'],
  ['SPII', 'content_filter'],
  ['MALFORMED_FUNCTION_CALL', 'stop'],
  ['IMAGE_SAFETY', 'content_filter'],
  ['UNEXPECTED_TOOL_CALL', 'stop'],
  ['TOO_MANY_TOOL_CALLS', 'stop'],
  ['IMAGE_PROHIBITED_CONTENT', 'content_filter'],
  ['NO_IMAGE', 'stop'],
  ['IMAGE_RECITATION', 'content_filter'],
  ['IMAGE_OTHER', 'stop'],
];

describe('mapFinishReason', () => {
  it.each(table)('%s → %s', (gemini, openai) => {
    expect(mapFinishReason(gemini, false)).toBe(openai);
  });

  it('covers the whole §1.5.1 enum', () => {
    expect(new Set(table.map(([gemini]) => gemini)).size).toBe(18);
  });

  it('maps unknown and missing values to stop, never passing a raw value through', () => {
    expect(mapFinishReason('SOMETHING_NEW', false)).toBe('stop');
    expect(mapFinishReason('stop', false)).toBe('stop');
    expect(mapFinishReason('', false)).toBe('stop');
    expect(mapFinishReason(undefined, false)).toBe('stop');
  });

  it('reports tool_calls for a STOP turn that produced a call', () => {
    expect(mapFinishReason('STOP', true)).toBe('tool_calls');
    expect(mapFinishReason(undefined, true)).toBe('tool_calls');
    expect(mapFinishReason('OTHER', true)).toBe('tool_calls');
  });

  it('keeps length and content_filter even when a call was produced', () => {
    expect(mapFinishReason('MAX_TOKENS', true)).toBe('length');
    expect(mapFinishReason('SAFETY', true)).toBe('content_filter');
  });

  it('only ever returns one of the OpenAI values', () => {
    const allowed = new Set(['stop', 'length', 'tool_calls', 'content_filter']);
    for (const [gemini] of table) {
      for (const saw of [false, true]) expect(allowed.has(mapFinishReason(gemini, saw))).toBe(true);
    }
  });
});
