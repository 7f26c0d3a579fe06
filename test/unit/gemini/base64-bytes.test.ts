/**
 * isCanonicalBase64Bytes (the check on payloads cut from raw request bytes) must give the same answer
 * as normaliseBase64 on the same text without whitespace — the rule every other data URL meets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalBase64Bytes, normaliseBase64 } from '../../../main/server/providers/gemini/data-url';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
/** What normaliseBase64 says for text that has no whitespace to drop. */
const viaString = (s: string) => normaliseBase64(s) === s;

describe('isCanonicalBase64Bytes', () => {
  it.each([
    ['QUJD', true],
    ['QUI=', true],
    ['QQ==', true],
    [Buffer.alloc(300_000, 7).toString('base64'), true],
    ['', false],
    ['QUJ', false],
    ['QU!D', false],
    ['QU-_', false], // URL-safe alphabet: Node's decoder takes it, canonical base64 does not
    ['QU=D', false],
    ['QQ==QUJD', false],
    ['Q===', false],
    ['QU D', false],
    ['QUJ\u00c1', false],
    ['QU\\D', false], // a JSON escape: such a payload is left to the JSON parser
    ['QU"D', false],
  ])('%j → %s', (text, expected) => {
    expect(isCanonicalBase64Bytes(latin1(text))).toBe(expected);
    expect(viaString(text)).toBe(expected);
  });

  it('refuses a non-ASCII byte that Node would read as a base64 letter (0x141 → 0x41)', () => {
    expect(isCanonicalBase64Bytes(Buffer.from('QU\u0141D', 'utf8'))).toBe(false);
  });

  it('finds a bad character or stray padding beyond the first 64 KiB slice', () => {
    const good = Buffer.alloc(200_000, 1).toString('base64');
    for (const [at, c] of [
      [65_536, '*'],
      [131_071, '='],
      [good.length - 5, '-'],
      [100_000, '\n'],
    ] as const) {
      const bad = `${good.slice(0, at)}${c}${good.slice(at + 1)}`;
      expect(isCanonicalBase64Bytes(latin1(bad)), `${c} at ${at}`).toBe(false);
    }
    expect(isCanonicalBase64Bytes(latin1(good))).toBe(true);
  });

  it('works on a view into a larger buffer', () => {
    const body = latin1('{"url":"data:image/png;base64,QUJDRA==","x":"@@@@"}');
    const start = body.indexOf(',') + 1;
    const end = body.indexOf('"', start);
    expect(isCanonicalBase64Bytes(body.subarray(start, end))).toBe(true);
    expect(isCanonicalBase64Bytes(body.subarray(start, end + 2))).toBe(false);
  });

  it('agrees with normaliseBase64 on generated text', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const near = fc.constantFrom(...alphabet, '=', '-', '_', '*', '.', '\u00ff', '\u0080', '%');
    const text = fc.oneof(
      fc.array(near, { maxLength: 40 }).map((cs) => cs.join('')),
      fc.uint8Array({ minLength: 1, maxLength: 60 }).map((b) => Buffer.from(b).toString('base64')),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.nat(), near).map(([b, at, c]) => {
        const s = Buffer.from(b).toString('base64');
        const i = at % s.length;
        return `${s.slice(0, i)}${c}${s.slice(i + 1)}`;
      }),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(isCanonicalBase64Bytes(latin1(s))).toBe(viaString(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same answer for the bytes in pieces, however they are cut', () => {
    const text = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
      fc.stringMatching(/^[A-Za-z0-9+/=*-]{0,24}$/),
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (s, cuts) => {
        const bytes = latin1(s);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));
        expect(isCanonicalBase64Bytes(pieces)).toBe(isCanonicalBase64Bytes(bytes));
      }),
      { numRuns: 3000 },
    );
    // A piece of 4k + 1 bytes: its last byte decodes to nothing, so it must be looked at on its own.
    expect(isCanonicalBase64Bytes([latin1('QUJD*'), latin1('QUJ')])).toBe(false);
    expect(isCanonicalBase64Bytes([latin1('QUJDQ'), latin1('UJD')])).toBe(true);
    const big = latin1(Buffer.alloc(200_000, 9).toString('base64'));
    const odd = [big.subarray(0, 65_537), big.subarray(65_537, 65_538), big.subarray(65_538)];
    expect(isCanonicalBase64Bytes(odd)).toBe(true);
    const spoilt = Buffer.from(big);
    spoilt[65_537] = 0x2a; // '*', in the one-byte piece
    expect(
      isCanonicalBase64Bytes([
        spoilt.subarray(0, 65_537),
        spoilt.subarray(65_537, 65_538),
        spoilt.subarray(65_538),
      ]),
    ).toBe(false);
  });
});
