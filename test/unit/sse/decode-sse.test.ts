import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from '../../../main/server/sse/decode-sse';

const fixture = (path: string): Uint8Array =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds the pieces in order and collects every event, including the ones `end()` flushes. */
function decode(...pieces: (Uint8Array | string)[]): SseEvent[] {
  const decoder = new SseDecoder();
  const events = pieces.flatMap((piece) => decoder.push(piece));
  return [...events, ...decoder.end()];
}

const data = (text: string): SseEvent => ({ type: 'data', data: text });

const overloaded: SseEvent = {
  type: 'error',
  error: {
    error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
  },
};

describe('SseDecoder framing', () => {
  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CRLF', '\r\n'],
  ])('splits events on blank lines with %s line breaks', (_name, br) => {
    const stream = `data: {"a":1}${br}${br}data: {"b":2}${br}${br}`;
    expect(decode(stream)).toEqual([data('{"a":1}'), data('{"b":2}')]);
  });

  it('accepts mixed delimiters in one stream', () => {
    const stream = 'data: 1\n\ndata: 2\r\r\ndata: 3\r\n\r\ndata: 4\r\n\ndata: 5\n\r\n';
    expect(decode(stream)).toEqual(['1', '2', '3', '4', '5'].map(data));
  });

  it('treats a CR at the end of one chunk and an LF at the start of the next as one line break', () => {
    expect(decode('data: a\r', '\ndata: b\r\n\r\n')).toEqual([data('a\nb')]);
    // Two CRs across the boundary are two breaks, i.e. a blank line.
    expect(decode('data: a\r', '\rdata: b\r\n\r\n')).toEqual([data('a'), data('b')]);
  });

  it('accepts data with and without the space after the colon, and strips only one space', () => {
    expect(decode('data:{"x":1}\n\ndata: {"y":2}\n\ndata:  two spaces\n\n')).toEqual([
      data('{"x":1}'),
      data('{"y":2}'),
      data(' two spaces'),
    ]);
  });

  it('joins several data lines of one event with LF', () => {
    expect(decode('data: {\ndata:  "a": 1\r\ndata: }\n\n')).toEqual([data('{\n "a": 1\n}')]);
  });

  it('ignores comments and the event, id and retry fields', () => {
    const stream = ': keep-alive\n\nevent: message\nid: 7\nretry: 1000\ndata: x\n: inline comment\n\n:\n\n';
    expect(decode(stream)).toEqual([data('x')]);
  });

  it('does not take fields that only start like data for data', () => {
    expect(decode('database: 1\ndata\n\ndataset:2\n\n')).toEqual([]);
  });

  it('flushes a final event without its blank line, and a final line without its break', () => {
    expect(decode('data: a\n\ndata: b\n')).toEqual([data('a'), data('b')]);
    expect(decode('data: a\n\ndata: b')).toEqual([data('a'), data('b')]);
    expect(decode('data: a\r')).toEqual([data('a')]);
  });

  it('emits events as soon as their blank line arrives', () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: a\n')).toEqual([]);
    expect(decoder.push('\n')).toEqual([data('a')]);
    expect(decoder.push('data: b\n\ndata: c')).toEqual([data('b')]);
    expect(decoder.end()).toEqual([data('c')]);
  });
});

describe('SseDecoder raw errors and junk', () => {
  it('turns the §1.6.3 raw pretty-printed error after the last event into an error event', () => {
    const okay =
      '{"candidates": [{"content": {"parts": [{"text": "Okay"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.0-flash"}';
    expect(decode(fixture('sse/midstream-error.sse'))).toEqual([data(okay), overloaded]);
  });

  it('reads a raw error that spans blank lines and has braces and quotes inside strings', () => {
    const stream =
      'data: 1\n\n{\n\n  "error": {\r\n    "code": 500,\n\n    "message": "bad } { \\" }"\n  }\n}\n';
    expect(decode(stream)).toEqual([
      data('1'),
      { type: 'error', error: { error: { code: 500, message: 'bad } { " }' } } },
    ]);
  });

  it('reads a compact raw error, and one that directly follows data lines, in stream order', () => {
    expect(decode('{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}')).toEqual([
      { type: 'error', error: { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } } },
    ]);
    expect(decode('data: 1\n{"error":{"code":503}}\n')).toEqual([
      data('1'),
      { type: 'error', error: { error: { code: 503 } } },
    ]);
  });

  it('ignores junk: plain text, broken JSON, JSON that is not an error, an unclosed block', () => {
    const stream = [
      'hello world',
      '<html><body>502</body></html>',
      '{not json}',
      '{"foo": {"code": 500}}',
      '{"error": "just a string"}',
      'data: kept',
      '',
      '{"error": {"code": 500,',
    ].join('\n');
    expect(decode(stream)).toEqual([data('kept')]);
  });

  it('finds an error object inside other non-data text (e.g. the array wrapping of JSON mode, §1.6.2)', () => {
    expect(decode('[{"error": {"code": 500}}]\n')).toEqual([
      { type: 'error', error: { error: { code: 500 } } },
    ]);
  });

  it('gives up an unclosed raw block when a data line follows, and keeps decoding', () => {
    expect(decode('{ "partial": {\n\ndata: 1\n\ndata: 2\n\n')).toEqual([data('1'), data('2')]);
  });

  it('drops a raw block that grows past any plausible error body', () => {
    const huge = `{"error": {"message": "${'x'.repeat(100_000)}"\n  }\n}\n`;
    const lines = huge.replace('"message"', '\n"message"');
    expect(decode(lines, 'data: after\n\n')).toEqual([data('after')]);
  });
});

describe('SseDecoder chunk boundaries and UTF-8', () => {
  const recorded = fixture('sse/recorded-crlf.sse');
  const recordedExpected = (
    JSON.parse(
      readFileSync(new URL('../../fixtures/sse/recorded-crlf.expected.json', import.meta.url), 'utf8'),
    ) as {
      events: SseEvent[];
    }
  ).events;

  it('decodes the recorded stream in one piece', () => {
    expect(decode(recorded)).toEqual(recordedExpected);
  });

  it('gives identical events for every split point of the recorded stream', () => {
    for (let at = 0; at <= recorded.length; at++) {
      const events = decode(recorded.subarray(0, at), recorded.subarray(at));
      if (JSON.stringify(events) !== JSON.stringify(recordedExpected)) {
        expect({ at, events }).toEqual({ at, events: recordedExpected });
      }
    }
    expect(recorded.length).toBeGreaterThan(400);
  });

  it('gives identical events for every split point of the §1.6.1 and §1.6.3 streams', () => {
    for (const path of ['streams/canonical.sse', 'sse/midstream-error.sse']) {
      const bytes = fixture(path);
      const whole = decode(bytes);
      expect(whole.length).toBeGreaterThanOrEqual(2);
      for (let at = 0; at <= bytes.length; at++) {
        const events = decode(bytes.subarray(0, at), bytes.subarray(at));
        if (JSON.stringify(events) !== JSON.stringify(whole))
          expect({ at, events }).toEqual({ at, events: whole });
      }
    }
  });

  it('gives identical events when fed one byte at a time', () => {
    const pieces = Array.from(recorded, (byte) => Uint8Array.of(byte));
    expect(decode(...pieces)).toEqual(recordedExpected);
  });

  it('decodes Chinese text and emoji split in the middle of a character', () => {
    const text = 'data: 你好🌍\n\n';
    const bytes = utf8(text);
    const start = bytes.indexOf(0xe4); // first byte of 你 (3 bytes)
    const emoji = bytes.indexOf(0xf0); // first byte of 🌍 (4 bytes)
    for (const at of [start + 1, start + 2, emoji + 1, emoji + 2, emoji + 3]) {
      expect(bytes[at]! & 0xc0).toBe(0x80); // really inside a character
      expect(decode(bytes.subarray(0, at), bytes.subarray(at))).toEqual([data('你好🌍')]);
    }
    // Split into three, the middle piece holding no complete character.
    expect(
      decode(bytes.subarray(0, emoji + 1), bytes.subarray(emoji + 1, emoji + 3), bytes.subarray(emoji + 3)),
    ).toEqual([data('你好🌍')]);
  });

  it('replaces an incomplete character at the very end instead of dropping the event', () => {
    const bytes = utf8('data: ok🌍');
    expect(decode(bytes.subarray(0, bytes.length - 2))).toEqual([data('ok\uFFFD')]);
  });
});

/**
 * Counts the characters that string searching, slicing and joining touch while `fn` runs: a decoder
 * that rescans or recopies its buffer on every push does quadratic work, which shows up here without
 * timing anything.
 */
function countWork(fn: () => void): number {
  let work = 0;
  const sp = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const ap = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const rp = RegExp.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const patches: [
    Record<string, (...args: unknown[]) => unknown>,
    string,
    (self: unknown, args: unknown[], result: unknown) => number,
  ][] = [
    [sp, 'indexOf', (self, args) => (self as string).length - Math.max(0, Number(args[1] ?? 0) || 0)],
    [sp, 'lastIndexOf', (self) => (self as string).length],
    [sp, 'includes', (self) => (self as string).length],
    [sp, 'search', (self) => (self as string).length],
    [sp, 'match', (self) => (self as string).length],
    [sp, 'matchAll', (self) => (self as string).length],
    [sp, 'split', (self) => (self as string).length],
    [sp, 'replace', (self) => (self as string).length],
    [sp, 'replaceAll', (self) => (self as string).length],
    [sp, 'slice', (_self, _args, result) => (result as string).length],
    [sp, 'substring', (_self, _args, result) => (result as string).length],
    [sp, 'substr', (_self, _args, result) => (result as string).length],
    [sp, 'concat', (_self, _args, result) => (result as string).length],
    [ap, 'join', (_self, _args, result) => (result as string).length],
    [rp, 'exec', (self, args) => String(args[0]).length - (self as RegExp).lastIndex],
    [rp, 'test', (self, args) => String(args[0]).length - (self as RegExp).lastIndex],
  ];
  const originals = patches.map(([proto, name]) => proto[name]!);
  patches.forEach(([proto, name, cost], i) => {
    const original = originals[i]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      const before = cost(this, args, '');
      const result = original.apply(this, args);
      work += Math.max(before, cost(this, args, result));
      return result;
    };
  });
  try {
    fn();
  } finally {
    patches.forEach(([proto, name], i) => {
      proto[name] = originals[i]!;
    });
  }
  return work;
}

describe('SseDecoder cost', () => {
  /** A stream of `events` events, pushed in `pieces` pieces; returns the work done and events seen. */
  function run(body: string, pieces: number): { work: number; events: number } {
    const bytes = utf8(body);
    const size = Math.ceil(bytes.length / pieces);
    const decoder = new SseDecoder();
    let events = 0;
    const work = countWork(() => {
      for (let at = 0; at < bytes.length; at += size)
        events += decoder.push(bytes.subarray(at, at + size)).length;
      events += decoder.end().length;
    });
    return { work, events };
  }

  it('does linear work over 10,000 small pushes of many events', () => {
    const events = (n: number) =>
      'data: {"candidates":[{"content":{"parts":[{"text":"word "}]}}]}\r\n\r\n'.repeat(n);
    const once = run(events(2000), 10_000);
    const twice = run(events(4000), 20_000);
    expect(once.events).toBe(2000);
    expect(twice.events).toBe(4000);
    expect(once.work).toBeLessThan(8 * events(2000).length);
    expect(twice.work / once.work).toBeLessThan(2.5);
  });

  it('does linear work over 10,000 small pushes of one long line (no rescanning of the buffer)', () => {
    const line = (n: number) => `data: {"text":"${'abcdefghij'.repeat(n)}"}\n\n`;
    const once = run(line(10_000), 10_000);
    const twice = run(line(20_000), 20_000);
    expect(once.events).toBe(1);
    expect(once.work).toBeLessThan(8 * line(10_000).length);
    // Doubling input and pushes doubles the work; a quadratic decoder would quadruple it.
    expect(twice.work / once.work).toBeLessThan(2.5);
  });

  it('counts the work a quadratic decoder would do (the probe itself works)', () => {
    let buffer = '';
    const work = countWork(() => {
      for (let i = 0; i < 1000; i++) {
        buffer += 'x';
        buffer.indexOf('\n\n');
      }
    });
    expect(work).toBeGreaterThan(400_000);
  });
});
