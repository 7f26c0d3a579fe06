/**
 * Golden tests for the OpenAI → Gemini request conversion: each fixture in test/fixtures/requests holds
 * an OpenAI request (parsed through the real zod schema first) and the exact Gemini body, or the error
 * code and param the conversion must throw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { chatCompletionRequest } from '../../../main/server/openai/chat-request';
import { toGeminiRequest } from '../../../main/server/providers/gemini/convert-request';
import type { RemoteMedia, ToolCallRecord } from '../../../main/server/providers/gemini/convert-request';
import type { GeminiModel } from '../../../main/server/providers/gemini/gemini-types';
import { resolveModel } from '../../../main/server/providers/gemini/resolve-model';

interface Fixture {
  description: string;
  model: string;
  context: {
    includeThoughts?: boolean;
    remoteMedia?: Record<string, RemoteMedia>;
    toolCalls?: Record<string, ToolCallRecord>;
    listedModel?: GeminiModel;
  };
  request: unknown;
  expected?: unknown;
  expectedError?: { code: string; param: string | null };
}

const FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/requests');
const fixtureFiles = readdirSync(FIXTURE_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

const load = (file: string): Fixture => JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Fixture;

function convert(fixture: Fixture) {
  const request = chatCompletionRequest.parse(fixture.request);
  const toolCalls = new Map(Object.entries(fixture.context.toolCalls ?? {}));
  return toGeminiRequest(request, resolveModel(fixture.model), {
    includeThoughts: fixture.context.includeThoughts ?? false,
    remoteMedia: new Map(Object.entries(fixture.context.remoteMedia ?? {})),
    lookupToolCall: (id) => toolCalls.get(id),
    ...(fixture.context.listedModel ? { listedModel: fixture.context.listedModel } : {}),
  });
}

describe('OpenAI → Gemini request golden fixtures', () => {
  it('has enough fixtures to cover the mapping', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(30);
  });

  for (const file of fixtureFiles) {
    const fixture = load(file);
    it(`${file}: ${fixture.description}`, () => {
      expect(fixture.expected === undefined).not.toBe(fixture.expectedError === undefined);
      if (fixture.expectedError) {
        let thrown: unknown;
        try {
          convert(fixture);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(ApiError);
        const { code, param } = thrown as ApiError;
        expect({ code, param }).toEqual(fixture.expectedError);
      } else {
        // toStrictEqual: an `undefined` key in the body would be a difference, as it is on the wire.
        expect(convert(fixture)).toStrictEqual(fixture.expected);
      }
    });
  }
});
