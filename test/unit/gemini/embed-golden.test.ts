/**
 * Golden tests for OpenAI embeddings ⇄ Gemini batchEmbedContents: each fixture in
 * test/fixtures/embeddings holds an OpenAI request and either the exact upstream batch bodies, the
 * upstream answers and the exact OpenAI response, or the error code and param it must be refused with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import {
  toBatchEmbedRequests,
  toOpenAIEmbeddings,
  vectorsOf,
} from '../../../main/server/providers/gemini/convert-embeddings';
import { parseEmbeddingsRequest } from '../../../main/server/providers/gemini/embed-request';

interface Fixture {
  description: string;
  request: unknown;
  expectedBatches?: unknown[];
  upstream?: unknown[];
  expected?: unknown;
  expectedError?: { code: string; param: string | null };
}

const FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/embeddings');
const files = readdirSync(FIXTURE_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();
const load = (file: string): Fixture => JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Fixture;

describe('OpenAI embeddings ⇄ Gemini golden fixtures', () => {
  it('covers both directions and the refusals', () => {
    const all = files.map(load);
    expect(all.filter((f) => f.expected).length).toBeGreaterThanOrEqual(5);
    expect(all.filter((f) => f.expectedError).length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    const fixture = load(file);
    it(`${file}: ${fixture.description}`, () => {
      expect(fixture.expected === undefined).not.toBe(fixture.expectedError === undefined);
      if (fixture.expectedError) {
        let thrown: unknown;
        try {
          parseEmbeddingsRequest(fixture.request);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(ApiError);
        const error = thrown as ApiError;
        expect({ code: error.code, param: error.param }).toEqual(fixture.expectedError);
        expect(error.status).toBe(400);
        return;
      }
      const request = parseEmbeddingsRequest(fixture.request);
      const batches = toBatchEmbedRequests(request);
      expect(batches).toEqual(fixture.expectedBatches);
      const vectors = batches.flatMap((batch, i) => {
        const got = vectorsOf(fixture.upstream?.[i], batch.requests.length);
        if (!got) throw new Error(`fixture upstream[${i}] does not fit its batch`);
        return got;
      });
      // Through JSON, as the client receives it.
      expect(JSON.parse(JSON.stringify(toOpenAIEmbeddings(request, vectors)))).toEqual(fixture.expected);
    });
  }
});
