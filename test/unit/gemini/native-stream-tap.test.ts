/**
 * The stream tap and the JSON-array reader: they must see every event of either framing however the
 * bytes are cut (mid-UTF-8, mid-string, one byte at a time), find Gemini's errors, and keep the
 * usage of the last event — while the relay passes the bytes on untouched.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonArrayReader } from '../../../main/server/providers/gemini/native-json-array';
import { NativeStreamTap } from '../../../main/server/providers/gemini/native-stream-tap';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
const CANONICAL_SSE = fixture('streams/canonical.sse');
const MIDSTREAM_ERROR_SSE = fixture('sse/midstream-error.sse');

/** The canonical stream's objects, as the default framing writes them (pretty, `,` lines, CRLF). */
const canonicalObjects = CANONICAL_SSE.toString('utf8')
  .split('\n')
  .filter((line) => line.startsWith('data: '))
  .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
const arrayBody = (objects: unknown[]) =>
  Buffer.from(`[${objects.map((o) => JSON.stringify(o, null, 2)).join('\n,\r\n')}]`, 'utf8');

/** Feeds the bytes in pieces of `size` bytes. */
function tapOf(framing: 'sse' | 'array', bytes: Buffer, size = bytes.length): NativeStreamTap {
  const tap = new NativeStreamTap(framing);
  for (let i = 0; i < bytes.length; i += size) tap.push(bytes.subarray(i, i + size));
  tap.end();
  return tap;
}

describe('JsonArrayReader', () => {
  it('returns each top-level object of the array as soon as it closes', () => {
    const reader = new JsonArrayReader();
    expect(reader.push('[{"a":1')).toEqual([]);
    expect(reader.push('}\n,\r\n{"b":{"c":[1,{"d":2}]}}')).toEqual(['{"a":1}', '{"b":{"c":[1,{"d":2}]}}']);
    expect(reader.push(']')).toEqual([]);
    expect(reader.end()).toEqual([]);
  });

  it('ignores braces inside strings, escaped quotes included', () => {
    const text = '[{"t":"} { \\" ] [ \\\\"},{"u":"\\\\\\"}"}]';
    const reader = new JsonArrayReader();
    const out = [...text].flatMap((c) => reader.push(c));
    expect(out.map((e) => JSON.parse(e) as unknown)).toEqual([{ t: '} { " ] [ \\' }, { u: '\\"}' }]);
  });

  it('keeps UTF-8 characters split between pushes', () => {
    const bytes = Buffer.from('[{"t":"天气 ☀️ é"}]', 'utf8');
    const reader = new JsonArrayReader();
    const out: string[] = [];
    for (const byte of bytes) out.push(...reader.push(Uint8Array.of(byte)));
    expect(out).toEqual(['{"t":"天气 ☀️ é"}']);
  });

  it('reads a bare object (an unwrapped error body) and drops an unfinished one at the end', () => {
    expect(new JsonArrayReader().push('{"error":{"code":503}}')).toEqual(['{"error":{"code":503}}']);
    const reader = new JsonArrayReader();
    expect(reader.push('[{"a":')).toEqual([]);
    expect(reader.end()).toEqual([]);
  });
});

describe('NativeStreamTap', () => {
  const last = canonicalObjects.at(-1)!;

  it.each([1, 7, 64, Infinity])('SSE cut every %s bytes: all events, finished, last usage', (size) => {
    const tap = tapOf('sse', CANONICAL_SSE, Number.isFinite(size) ? size : undefined);
    expect(tap.chunks).toBe(canonicalObjects.length);
    expect(tap.finished).toBe(true);
    expect(tap.error).toBeUndefined();
    expect(tap.usage).toEqual(last['usageMetadata']);
  });

  it.each([1, 5, 100, Infinity])('JSON array cut every %s bytes: the same', (size) => {
    const tap = tapOf('array', arrayBody(canonicalObjects), Number.isFinite(size) ? size : undefined);
    expect(tap.chunks).toBe(canonicalObjects.length);
    expect(tap.finished).toBe(true);
    expect(tap.usage).toEqual(last['usageMetadata']);
  });

  it('is decided by the first complete event, not before', () => {
    const tap = new NativeStreamTap('sse');
    const text = CANONICAL_SSE.toString('utf8');
    const firstEnd = text.indexOf('\n\n');
    tap.push(Buffer.from(text.slice(0, firstEnd)));
    expect(tap.decided).toBe(false);
    tap.push(Buffer.from('\n\n'));
    expect(tap.decided).toBe(true);
    expect(tap.chunks).toBe(1);
    expect(tap.finished).toBe(false);
  });

  it('sees Gemini’s raw error after the events (SSE) and an error element (array)', () => {
    const sse = tapOf('sse', MIDSTREAM_ERROR_SSE, 3);
    expect(sse.chunks).toBe(1);
    expect(sse.error?.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    expect(sse.finished).toBe(false);

    const onlyError = tapOf(
      'array',
      Buffer.from('[{\n  "error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}\n}\n]'),
    );
    expect(onlyError.chunks).toBe(0);
    expect(onlyError.decided).toBe(true);
    expect(onlyError.error?.error.code).toBe(429);
  });

  it('a blocked prompt counts as finished; a stream without finishReason does not', () => {
    const blocked = { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3 } };
    expect(tapOf('array', arrayBody([blocked])).finished).toBe(true);
    const unfinished = canonicalObjects.slice(0, 2);
    const tap = tapOf('array', arrayBody(unfinished));
    expect(tap.finished).toBe(false);
    expect(tap.usage).toEqual(unfinished[1]!['usageMetadata']);
  });

  it('junk is neither a chunk nor an error', () => {
    const tap = tapOf('sse', Buffer.from('data: not json\n\n: comment\n\ndata: [1,2]\n\n'));
    expect(tap.chunks).toBe(0);
    expect(tap.error).toBeUndefined();
    expect(tap.decided).toBe(false);
  });
});
