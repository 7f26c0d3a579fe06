import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../main/server/openai/chat-response';
import type { GeminiGenerateContentResponse } from '../../../main/server/providers/gemini/gemini-types';
import { GeminiStreamTransformer } from '../../../main/server/providers/gemini/stream-transform';
import { SseDecoder } from '../../../main/server/sse/decode-sse';
import { testResponseContext } from './test-response-context';

interface StreamFixture {
  description: string;
  context: { model: string; includeUsage: boolean };
  /** Either the Gemini chunks themselves or a recorded `.sse` byte stream next to the fixture. */
  gemini?: GeminiGenerateContentResponse[];
  sse?: string;
  expected: {
    /** The OpenAI chunks each Gemini chunk produces at once, in order. */
    pushes: ChatCompletionChunk[][];
    end: { chunks: ChatCompletionChunk[]; truncated: boolean };
  };
}

const dir = new URL('../../fixtures/streams/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => [name, JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as StreamFixture] as const);

function geminiChunks(fixture: StreamFixture): GeminiGenerateContentResponse[] {
  if (fixture.gemini) return fixture.gemini;
  const decoder = new SseDecoder();
  const events = [...decoder.push(readFileSync(new URL(fixture.sse!, dir))), ...decoder.end()];
  return events.map((event) => {
    if (event.type !== 'data') throw new Error(`unexpected ${event.type} event in ${fixture.sse}`);
    return JSON.parse(event.data) as GeminiGenerateContentResponse;
  });
}

describe('GeminiStreamTransformer golden fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(11);
  });

  it.each(fixtures)('%s', (_name, fixture) => {
    const chunks = geminiChunks(fixture);
    expect(chunks).toHaveLength(fixture.expected.pushes.length);
    const transformer = new GeminiStreamTransformer({
      ...testResponseContext(fixture.context.model),
      includeUsage: fixture.context.includeUsage,
    });
    const pushes = chunks.map((chunk) => transformer.push(chunk));
    expect(pushes).toEqual(fixture.expected.pushes);
    expect(transformer.end()).toEqual(fixture.expected.end);
  });
});
