import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toChatCompletion } from '../../../main/server/providers/gemini/convert-response';
import type { GeminiGenerateContentResponse } from '../../../main/server/providers/gemini/gemini-types';
import type { ChatCompletion } from '../../../main/server/openai/chat-response';
import { testResponseContext } from './test-response-context';

interface ResponseFixture {
  description: string;
  context: { model: string };
  gemini: GeminiGenerateContentResponse;
  expected: ChatCompletion;
}

const dir = new URL('../../fixtures/responses/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => [name, JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as ResponseFixture] as const);

describe('toChatCompletion golden fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(18);
  });

  it.each(fixtures)('%s', (_name, fixture) => {
    const actual = toChatCompletion(fixture.gemini, testResponseContext(fixture.context.model));
    expect(actual).toEqual(fixture.expected);
  });

  it('does not modify the Gemini response it reads', () => {
    for (const [, fixture] of fixtures) {
      const before = JSON.stringify(fixture.gemini);
      toChatCompletion(fixture.gemini, testResponseContext(fixture.context.model));
      expect(JSON.stringify(fixture.gemini)).toBe(before);
    }
  });
});
