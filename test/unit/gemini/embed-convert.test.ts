/** Batching, base64 float32, the token estimate and the checks on Gemini's answer. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import {
  estimateTokens,
  float32Base64,
  MAX_BATCH_SIZE,
  toBatchEmbedRequests,
  unitLength,
  vectorsOf,
} from '../../../main/server/providers/gemini/convert-embeddings';
import {
  MAX_EMBEDDING_INPUTS,
  parseEmbeddingsRequest,
} from '../../../main/server/providers/gemini/embed-request';

describe('toBatchEmbedRequests', () => {
  it('250 inputs → batches of 100, 100, 50 in input order', () => {
    const inputs = Array.from({ length: 250 }, (_, i) => `text ${i}`);
    const batches = toBatchEmbedRequests(
      parseEmbeddingsRequest({ model: 'gemini-embedding-001', input: inputs }),
    );
    expect(batches.map((b) => b.requests.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => b.requests.map((r) => r.content.parts[0]?.text))).toEqual(inputs);
    expect(MAX_BATCH_SIZE).toBe(100);
  });

  it('exactly 100 is one batch, 101 two', () => {
    const of = (n: number) =>
      toBatchEmbedRequests(
        parseEmbeddingsRequest({ model: 'text-embedding-004', input: Array.from({ length: n }, () => 'x') }),
      ).map((b) => b.requests.length);
    expect(of(100)).toEqual([100]);
    expect(of(101)).toEqual([100, 1]);
  });

  it(`more than ${MAX_EMBEDDING_INPUTS} inputs is a 400`, () => {
    const input = Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => 'x');
    expect(() => parseEmbeddingsRequest({ model: 'text-embedding-004', input })).toThrow(ApiError);
    expect(() =>
      parseEmbeddingsRequest({ model: 'text-embedding-004', input: input.slice(1) }),
    ).not.toThrow();
  });
});

describe('unitLength', () => {
  it('scales a vector to length 1, keeping its direction', () => {
    expect(unitLength([3, 4])).toEqual([0.6, 0.8]);
    expect(unitLength([0, -2])).toEqual([0, -1]);
  });
  it('leaves a zero vector as it is (no division by zero)', () => {
    expect(unitLength([0, 0, 0])).toEqual([0, 0, 0]);
  });
});

describe('float32Base64', () => {
  it('round-trips through little-endian float32', () => {
    const values = [0.1, -0.123456, 3.4e38, -1e-7, 0];
    const bytes = Buffer.from(float32Base64(values), 'base64');
    expect(bytes.length).toBe(values.length * 4);
    const back = Array.from({ length: values.length }, (_, i) => bytes.readFloatLE(i * 4));
    expect(back).toEqual(values.map((v) => Math.fround(v)));
    expect(new Float32Array(bytes.buffer, bytes.byteOffset, values.length)[1]).toBe(Math.fround(-0.123456));
  });

  it('an empty vector is an empty string', () => {
    expect(float32Base64([])).toBe('');
  });
});

describe('estimateTokens', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
    ['hello world', 3],
    ['你好', 2],
    ['Hello 世界', 4],
    ['🙂🙂', 2],
  ])('%j → %i', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});

describe('vectorsOf', () => {
  it('accepts exactly the expected number of numeric vectors', () => {
    expect(vectorsOf({ embeddings: [{ values: [1, 2] }, { values: [3] }] }, 2)).toEqual([[1, 2], [3]]);
  });

  it.each([
    [null],
    [{}],
    [{ embeddings: [{ values: [1] }] }],
    [{ embeddings: [{ values: [1] }, {}] }],
    [{ embeddings: [{ values: [1] }, { values: ['x'] }] }],
  ])('refuses %j for 2 inputs', (response) => {
    expect(vectorsOf(response, 2)).toBeUndefined();
  });
});
