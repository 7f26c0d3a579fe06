/** ByteRope answers like one joined Buffer would, however the bytes were chunked. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRope } from '../../main/server/byte-rope';

const chunked = (bytes: Buffer, cuts: number[]): Buffer[] => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, Math.max(from, to)));
    from = Math.max(from, to);
  }
  return chunks; // empty chunks included on purpose
};

describe('ByteRope', () => {
  it('reads like the joined bytes (property)', () => {
    const text = fc.stringMatching(/^[ab;",\\]{0,60}$/);
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), fc.nat(), fc.nat(), (s, cuts, x, y) => {
        const whole = Buffer.from(s, 'latin1');
        const rope = new ByteRope(chunked(whole, cuts));
        expect(rope.length).toBe(whole.length);
        const from = x % (whole.length + 2);
        for (const needle of [Buffer.from(';a"'), Buffer.from('ab'), Buffer.from('"')]) {
          expect(rope.indexOf(needle, from)).toBe(whole.indexOf(needle, from));
        }
        expect(rope.indexOf(0x22, from)).toBe(whole.indexOf(0x22, from));
        const end = y % (whole.length + 1);
        const start = Math.min(from, end);
        expect(rope.copy(start, end).toString('latin1')).toBe(whole.subarray(start, end).toString('latin1'));
        expect(Buffer.concat(rope.pieces(start, end)).equals(whole.subarray(start, end))).toBe(true);
        for (let i = -1; i <= whole.length; i++) expect(rope.at(i)).toBe(whole[i]);
        const notBefore = Math.max(0, from - 5);
        const expected = whole.subarray(notBefore, from + 1).lastIndexOf(0x22);
        expect(rope.lastIndexOf(0x22, from, notBefore)).toBe(expected === -1 ? -1 : notBefore + expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives views of the chunks, not copies', () => {
    const a = Buffer.from('hello ');
    const b = Buffer.from('world');
    const pieces = new ByteRope([a, b]).pieces(2, 9);
    expect(pieces.map((p) => p.toString())).toEqual(['llo ', 'wor']);
    expect(pieces[0]!.buffer).toBe(a.buffer);
    expect(pieces[1]!.buffer).toBe(b.buffer);
  });

  it('is empty without chunks', () => {
    const rope = new ByteRope([]);
    expect(rope.length).toBe(0);
    expect(rope.indexOf(Buffer.from('x'))).toBe(-1);
    expect(rope.at(0)).toBeUndefined();
    expect(rope.pieces(0, 0)).toEqual([]);
  });
});
