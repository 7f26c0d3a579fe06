/**
 * `data:<mime>[;params];base64,<b64>` URLs, as clients send inline images, audio and files.
 * Payloads reach tens of megabytes, so everything here is a native linear scan, no decoding (Gemini
 * takes the base64 text as is), and no copy unless whitespace must go.
 */
import { isAscii } from 'node:buffer';

export interface DataUrl {
  mimeType: string;
  data: string;
}

/** `type/subtype` with RFC 6838 token characters. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
/** Only the header is matched by regex, so it is bounded before any regex sees it. */
const MAX_HEADER_LENGTH = 1024;

/** The first character that cannot appear in standard base64 (native scan: payloads are ~28 MB). */
const NON_BASE64 = /[^A-Za-z0-9+/=]/;
const WHITESPACE_RUNS = /[ \t\n\r\f]+/g;
const ONLY_WHITESPACE_LEFT = /^[ \t\n\r\f]$/;

/** Padding: at most two `=`, only at the very end; length a multiple of 4. */
function hasCanonicalShape(s: string): boolean {
  if (s.length === 0 || s.length % 4 !== 0) return false;
  const firstEquals = s.indexOf('=');
  if (firstEquals === -1) return true;
  if (firstEquals < s.length - 2) return false;
  // "…=x" is not padding: after a first `=` in the second-to-last place, the last must be `=` too.
  return firstEquals === s.length - 1 || s.endsWith('==');
}

/**
 * Returns the base64 text without whitespace (line-wrapped base64 is common), or `undefined` when it
 * is not valid base64. The checks are native regex/indexOf scans — a JS loop over charCodeAt takes
 * ten times longer on a 20 MB image — and the string is only copied when whitespace must go.
 */
export function normaliseBase64(text: string): string | undefined {
  let compact = text;
  const bad = NON_BASE64.exec(text);
  if (bad) {
    if (!ONLY_WHITESPACE_LEFT.test(bad[0])) return undefined;
    compact = text.replace(WHITESPACE_RUNS, '');
    if (NON_BASE64.test(compact)) return undefined;
  }
  return hasCanonicalShape(compact) ? compact : undefined;
}

const EQUALS = 0x3d;
const MINUS = 0x2d;
const UNDERSCORE = 0x5f;
/**
 * Decoded a slice at a time into one reusable buffer: validating must not allocate 20 MB. 64 KiB
 * slices stay below V8's large-object size, so each short-lived string dies young, cheaply.
 */
const DECODE_CHUNK = 64 * 1024;
const scratch = Buffer.allocUnsafe((DECODE_CHUNK / 4) * 3);
/** The 0–3 characters after the last whole group: the alphabet only, no padding. */
const ALPHABET_ONLY = /^[A-Za-z0-9+/]*$/;

/**
 * Whether every byte is one of the 64 characters of standard base64 — no padding, whitespace or
 * anything else. Node's decoder is native but lenient: it skips characters outside the alphabet,
 * stops at the first `=`, and also takes the URL-safe `-` and `_`. So those two are refused first,
 * non-ASCII is refused (a byte ≥ 0x80 would be skipped), and then each run of whole 4-character groups
 * must decode to exactly ¾ of its length, or it held something that was skipped. The 0–3 bytes after
 * the last whole group are matched on their own: a lone trailing character decodes to nothing, so
 * the length could not tell whether it was valid.
 */
function isBase64Alphabet(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!isAscii(b) || b.includes(MINUS) || b.includes(UNDERSCORE)) return false;
  const whole = b.length - (b.length % 4);
  for (let at = 0; at < whole; at += DECODE_CHUNK) {
    const end = Math.min(whole, at + DECODE_CHUNK);
    if (scratch.write(b.toString('latin1', at, end), 'base64') !== ((end - at) / 4) * 3) return false;
  }
  return ALPHABET_ONLY.test(b.toString('latin1', whole));
}

/**
 * Whether raw bytes (a payload cut out of a request body, maybe in several pieces as it arrived) are
 * canonical base64 without whitespace — the same rule as `normaliseBase64`, five times faster than
 * a regex scan over the equivalent string: a length that is a multiple of 4, at most two `=` and only
 * at the very end, every other byte in the alphabet. Alphabet membership is a property of each byte,
 * so pieces are checked one by one wherever they split, and no group of four is ever reassembled.
 */
export function isCanonicalBase64Bytes(input: Uint8Array | readonly Uint8Array[]): boolean {
  const pieces = ((Array.isArray(input) ? input : [input]) as readonly Uint8Array[]).filter(
    (p) => p.length > 0,
  );
  const length = pieces.reduce((n, p) => n + p.length, 0);
  if (length === 0 || length % 4 !== 0) return false;
  // The last two bytes may lie in two pieces (none is empty, and there are at least four bytes).
  const last = pieces.at(-1)!;
  const beforeLast = last.length > 1 ? last[last.length - 2] : pieces.at(-2)!.at(-1);
  const padding = last.at(-1) === EQUALS ? (beforeLast === EQUALS ? 2 : 1) : 0;

  let before = 0; // bytes of the payload before this piece
  for (const piece of pieces) {
    // The padding, if any, is left out of the alphabet check: it sits in the last `padding` bytes.
    const keep = Math.min(piece.length, length - padding - before);
    before += piece.length;
    if (keep > 0 && !isBase64Alphabet(keep === piece.length ? piece : piece.subarray(0, keep))) return false;
  }
  return true;
}

export function parseDataUrl(url: string): DataUrl | undefined {
  if (url.slice(0, 5).toLowerCase() !== 'data:') return undefined;
  const comma = url.slice(0, MAX_HEADER_LENGTH).indexOf(',', 5);
  if (comma < 0) return undefined;
  const [mimeType = '', ...params] = url.slice(5, comma).split(';');
  // Only base64 payloads are meaningful to Gemini; `;base64` must be the last parameter (RFC 2397).
  if (params.at(-1)?.trim().toLowerCase() !== 'base64') return undefined;
  const mime = mimeType.trim().toLowerCase();
  if (!MIME_TYPE.test(mime)) return undefined;
  const data = normaliseBase64(url.slice(comma + 1));
  return data === undefined ? undefined : { mimeType: mime, data };
}
