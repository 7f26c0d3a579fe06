/**
 * cutLargeDataUrls: which strings of a raw JSON body are cut out (whole, structural, unescaped,
 * canonical base64, large), and that the JSON left behind parses to the same body with tokens in
 * place of the payloads.
 */
import { describe, expect, it } from 'vitest';
import { ByteRope } from '../../main/server/byte-rope';
import {
  cutLargeDataUrls as cutRope,
  LARGE_DATA_URL,
  largeDataUrlsOf,
  mentionsToken,
  rememberLargeDataUrls,
} from '../../main/server/large-data-urls';

const payload = (fill: number, bytes = LARGE_DATA_URL) => Buffer.alloc(bytes, fill).toString('base64');
const raw = (value: unknown) => Buffer.from(JSON.stringify(value));
const imagePart = (url: string) => ({ type: 'image_url', image_url: { url } });
const chat = (...parts: unknown[]) => ({
  model: 'gemini-2.5-flash',
  messages: [{ role: 'user', content: parts }],
});

const split = (bytes: Buffer, size: number): Buffer[] => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

interface Cut {
  json: Buffer;
  payloads: Map<string, Buffer>;
}

/**
 * Cuts the body as one chunk and as it might arrive from a socket — 64 KiB, odd sizes, a few bytes
 * at a time so every marker, header and base64 group is split somewhere — and requires the same
 * result from each. Payloads come back joined, for the assertions.
 */
function cutLargeDataUrls(bytes: Buffer): Cut | undefined {
  const runs = [[bytes], split(bytes, 65_536), split(bytes, 4_093), split(bytes, 61), split(bytes, 5)].map(
    (chunks) => {
      const cut = cutRope(new ByteRope(chunks));
      return (
        cut && {
          json: cut.json,
          payloads: new Map([...cut.payloads].map(([token, pieces]) => [token, Buffer.concat(pieces)])),
        }
      );
    },
  );
  // Buffer#equals, not toEqual: a generic deep comparison of megabytes takes seconds.
  const summary = (run: Cut | undefined) =>
    run && { json: run.json.toString('latin1'), payloads: [...run.payloads].map(([t, b]) => [t, b.length]) };
  for (const run of runs.slice(1)) {
    expect(summary(run)).toEqual(summary(runs[0]));
    for (const [token, bytes] of run?.payloads ?? [])
      expect(bytes.equals(runs[0]!.payloads.get(token)!)).toBe(true);
  }
  return runs[0];
}

/** The body the cut JSON parses to, with every token put back: must equal the original. */
function restored(cut: Cut): unknown {
  let text = cut.json.toString('utf8');
  for (const [token, bytes] of cut.payloads) text = text.replace(token, bytes.toString('latin1'));
  return JSON.parse(text);
}

describe('cutLargeDataUrls', () => {
  it('cuts each large data URL payload and leaves a token in the JSON', () => {
    const a = payload(1);
    const b = payload(2, LARGE_DATA_URL * 2);
    const body = chat(
      { type: 'text', text: 'compare' },
      imagePart(`data:image/png;base64,${a}`),
      imagePart(`DATA:image/jpeg;name=x.jpg;base64,${b}`),
    );
    const cut = cutLargeDataUrls(raw(body))!;
    expect(cut).toBeDefined();
    expect([...cut.payloads.values()].map((p) => p.toString('latin1'))).toEqual([a, b]);
    expect(cut.json.length).toBeLessThan(1000);
    const parsed = JSON.parse(cut.json.toString()) as ReturnType<typeof chat>;
    const urls = (parsed.messages[0]!.content as { image_url?: { url: string } }[]).flatMap((p) =>
      p.image_url ? [p.image_url.url] : [],
    );
    const tokens = [...cut.payloads.keys()];
    expect(urls).toEqual([
      `data:image/png;base64,${tokens[0]}`,
      `DATA:image/jpeg;name=x.jpg;base64,${tokens[1]}`,
    ]);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9]+$/);
      expect(token.length % 4).toBe(0);
      expect(mentionsToken(`x${token}x`)).toBe(true);
    }
    expect(restored(cut)).toEqual(body);
  });

  it('keeps the payload views of the received chunks, not a copy', () => {
    const body = raw(chat(imagePart(`data:image/png;base64,${payload(3)}`)));
    const chunks = split(body, 65_536);
    const [pieces] = cutRope(new ByteRope(chunks))!.payloads.values();
    expect(pieces!.length).toBeGreaterThan(1);
    for (const piece of pieces!) expect(chunks.some((c) => c.buffer === piece.buffer)).toBe(true);
    expect(Buffer.concat(pieces!).toString()).toBe(payload(3));
  });

  it.each([
    ['a small data URL', chat(imagePart(`data:image/png;base64,${payload(1, 1000)}`))],
    ['a body without data URLs', chat({ type: 'text', text: 'x'.repeat(LARGE_DATA_URL * 2) })],
    ['invalid base64', chat(imagePart(`data:image/png;base64,${payload(1).slice(0, -8)}@@@@AAAA`))],
    [
      'line-wrapped base64',
      chat(imagePart(`data:image/png;base64,${payload(1).replace(/(.{76})/g, '$1\n')}`)),
    ],
    ['URL-safe base64', chat(imagePart(`data:image/png;base64,${payload(0xfb).replaceAll('+', '-')}`))],
    ['a data URL inside text', chat({ type: 'text', text: `see data:image/png;base64,${payload(1)}` })],
    ['a markdown image', chat({ type: 'text', text: `![](data:image/png;base64,${payload(1)})` })],
    [
      'a quoted data URL inside text',
      chat({ type: 'text', text: `x "data:image/png;base64,${payload(1)}"` }),
    ],
    [
      'a data URL in tool arguments',
      { args: JSON.stringify({ url: `data:image/png;base64,${payload(1)}` }) },
    ],
    ['a header that is not data:', chat(imagePart(`blob:image/png;base64,${payload(1)}`))],
  ])('leaves %s alone', (_name, body) => {
    expect(cutLargeDataUrls(raw(body))).toBeUndefined();
  });

  it('leaves a payload with escapes (JSON may write / as \\/) to the normal parser', () => {
    const text = `{"url":"data:image/png;base64,${payload(0xff).replaceAll('/', '\\/')}"}`;
    expect(text).toContain('\\/');
    expect(cutLargeDataUrls(Buffer.from(text))).toBeUndefined();
  });

  it('takes whitespace around the structure, as JSON allows', () => {
    const text = `{ "url" :\n\t "data:image/png;base64,${payload(4)}" }`;
    const cut = cutLargeDataUrls(Buffer.from(text))!;
    expect(cut.payloads.size).toBe(1);
    expect(restored(cut)).toEqual(JSON.parse(text));
  });

  it('cuts a data URL that is a whole string anywhere — the caller checks where its token lands', () => {
    const body = chat({ type: 'text', text: `data:image/png;base64,${payload(5)}` });
    const cut = cutLargeDataUrls(raw(body))!;
    expect(cut.payloads.size).toBe(1);
    expect(restored(cut)).toEqual(body);
  });

  it('leaves invalid JSON invalid', () => {
    const text = `{"url":"data:image/png;base64,${payload(6)}"`;
    const cut = cutLargeDataUrls(Buffer.from(text))!;
    expect(() => JSON.parse(cut.json.toString()) as unknown).toThrow();
  });
});

describe('largeDataUrlsOf', () => {
  it('finds what was remembered for exactly this parsed body', () => {
    const body = { a: 1 };
    const urls = { payloads: new Map<string, Buffer[]>(), parseInFull: () => ({}) };
    rememberLargeDataUrls(body, urls);
    expect(largeDataUrlsOf(body)).toBe(urls);
    expect(largeDataUrlsOf({ a: 1 })).toBeUndefined();
    expect(largeDataUrlsOf('text')).toBeUndefined();
    expect(largeDataUrlsOf(null)).toBeUndefined();
  });
});
