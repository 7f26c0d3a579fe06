import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { bearerToken, geminiStyleToken } from '../../../main/server/access/credentials';

const withHeaders = (headers: Record<string, string>, query: Record<string, string> = {}) =>
  ({ headers, query }) as unknown as FastifyRequest;

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['  bearer   abc  ', 'abc'],
    ['BEARER a b', 'a b'],
    ['Bearer ', undefined],
    ['Bearer', undefined],
    ['Basic abc', undefined],
    ['abc', undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(withHeaders({ authorization: header }))).toBe(token);
  });

  it('reads a header made of a long run of spaces in one pass (it once backtracked quadratically)', () => {
    // Quadratic matching of 200,000 spaces would run for minutes and time this test out.
    const header = `Bearer x${' '.repeat(200_000)}y`;
    expect(bearerToken(withHeaders({ authorization: header }))).toBe(`x${' '.repeat(200_000)}y`);
    expect(bearerToken(withHeaders({ authorization: `Bearer ${' '.repeat(200_000)}` }))).toBeUndefined();
  });
});

describe('geminiStyleToken', () => {
  it('takes x-goog-api-key, then ?key=, then a Bearer token', () => {
    expect(geminiStyleToken(withHeaders({ 'x-goog-api-key': ' k1 ', authorization: 'Bearer k3' }))).toBe(
      'k1',
    );
    expect(geminiStyleToken(withHeaders({ authorization: 'Bearer k3' }, { key: 'k2' }))).toBe('k2');
    expect(geminiStyleToken(withHeaders({ authorization: 'Bearer k3' }))).toBe('k3');
  });
});
