/**
 * Large base64 data URLs are cut out of a chat request's raw JSON before it is parsed. A 20 MB image
 * is ~28 MB of base64: joining the body's chunks, decoding it to a string and JSON.parse-ing it would
 * copy and scan all of it three times, only for the text to be written upstream unchanged. Instead
 * each such payload stays views of the chunks as they were received (byte-rope.ts); the JSON keeps a short token in its place (`data:image/png;base64,
 * <token>`), conversion carries the token like any base64 text, and serialize-request.ts writes the
 * original bytes where the token ends up in the upstream body.
 *
 * Only a JSON string that is a whole data URL is cut: `"data:<mime>[;…];base64,<payload>"` with the
 * opening quote in structural position, no escapes, and a payload that is canonical base64. Anything
 * else — smaller, escaped, malformed — is left in the JSON for the usual parser and validation, so the
 * outcome for the client is the same either way, only faster. If a token still lands somewhere other
 * than an inline-data field (a data URL sent as plain text), the caller parses the body in full.
 */
import { randomUUID } from 'node:crypto';
import type { ByteRope } from './byte-rope';
import { isCanonicalBase64Bytes } from './providers/gemini/data-url';

/** Below this, cutting saves less than it costs. Matches serialize-request.ts. */
export const LARGE_DATA_URL = 256 * 1024;
/** The header `data:<mime>;…;base64` is short; a longer one is left to the normal parser. */
const MAX_HEADER = 1024;

const MARK = Buffer.from(';base64,');
const DATA = Buffer.from('data:');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Per process, random: no client can predict a token. Letters and digits only, so it is base64. */
const TOKEN_PREFIX = `GemgatePayload${randomUUID().replaceAll('-', '')}`;
/** Fixed width (52 characters, a multiple of 4) so a token is canonical base64 on its own. */
const tokenFor = (n: number) => `${TOKEN_PREFIX}${String(n).padStart(6, '0')}`;

export interface LargeDataUrls {
  /** Token → the base64 bytes it stands for (views of the received chunks, not copies). */
  readonly payloads: ReadonlyMap<string, readonly Buffer[]>;
  /** The body parsed as sent, no tokens: for a body where a token would land outside inline data. */
  parseInFull(): unknown;
}

/** Whether text (a serialised upstream body) still contains a token, i.e. one was not spliced. */
export const mentionsToken = (text: string): boolean => text.includes(TOKEN_PREFIX);

/** JSON whitespace before a value; a string value follows `:`, `,` or `[`. */
function opensStringValue(raw: ByteRope, quote: number): boolean {
  let i = quote - 1;
  let c = raw.at(i);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = raw.at(--i);
  return c === 0x3a || c === 0x2c || c === 0x5b;
}

/** The header between the opening quote and `;base64,` is `data:` + printable ASCII, no quote or escape. */
function isDataHeader(raw: ByteRope, from: number, to: number): boolean {
  if (to - from > MAX_HEADER || to - from < DATA.length) return false;
  const header = raw.copy(from, to);
  for (let i = 0; i < DATA.length; i++) {
    // Lower-case the letters (`DATA:` is a valid scheme spelling); ':' is unchanged by | 0x20.
    if ((header[i]! | 0x20) !== DATA[i]) return false;
  }
  for (let i = DATA.length; i < header.length; i++) {
    const c = header[i]!;
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return false;
  }
  return true;
}

export interface CutBody {
  /** The JSON with every large payload replaced by its token. */
  json: Buffer;
  payloads: Map<string, Buffer[]>;
}

/** Cuts the large data URL payloads out of a raw JSON body; `undefined` when there are none. */
export function cutLargeDataUrls(raw: ByteRope): CutBody | undefined {
  if (raw.length < LARGE_DATA_URL) return undefined;
  const json: Buffer[] = [];
  const payloads = new Map<string, Buffer[]>();
  let copiedTo = 0;
  for (let mark = raw.indexOf(MARK); mark !== -1;) {
    const start = mark + MARK.length;
    const close = raw.indexOf(QUOTE, start);
    if (close === -1) break;
    const open = raw.lastIndexOf(QUOTE, mark, mark - MAX_HEADER - 1);
    if (
      close - start >= LARGE_DATA_URL &&
      open >= copiedTo &&
      opensStringValue(raw, open) &&
      isDataHeader(raw, open + 1, mark)
    ) {
      const payload = raw.pieces(start, close);
      // An escape (`\`) is not base64 either: a payload with one is left to the JSON parser.
      if (isCanonicalBase64Bytes(payload)) {
        const token = tokenFor(payloads.size);
        payloads.set(token, payload);
        json.push(raw.copy(copiedTo, start), Buffer.from(token, 'latin1'));
        copiedTo = close;
      }
    }
    mark = raw.indexOf(MARK, close + 1);
  }
  if (payloads.size === 0) return undefined;
  json.push(raw.copy(copiedTo, raw.length));
  return { json: Buffer.concat(json), payloads };
}

/** Parsed bodies → their cut payloads. Weak: the entry goes with the request's body. */
const cutBodies = new WeakMap<object, LargeDataUrls>();

export function rememberLargeDataUrls(body: object, urls: LargeDataUrls): void {
  cutBodies.set(body, urls);
}

/** The payloads cut out of this parsed body, if any. */
export const largeDataUrlsOf = (body: unknown): LargeDataUrls | undefined =>
  typeof body === 'object' && body !== null ? cutBodies.get(body) : undefined;
