/**
 * `data:<mime>[;params];base64,<b64>` URLs, as clients send inline images, audio and files.
 * Payloads reach tens of megabytes, so everything here is a single linear scan: no regex over the
 * payload, no decoding (Gemini takes the base64 text as is), and no copy unless whitespace must go.
 */

export interface DataUrl {
  mimeType: string;
  data: string;
}

/** `type/subtype` with RFC 6838 token characters. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
/** Only the header is matched by regex, so it is bounded before any regex sees it. */
const MAX_HEADER_LENGTH = 1024;

const isBase64Char = (c: number): boolean =>
  (c >= 65 && c <= 90) || // A-Z
  (c >= 97 && c <= 122) || // a-z
  (c >= 48 && c <= 57) || // 0-9
  c === 43 || // +
  c === 47; // /
const isWhitespace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
const EQUALS = 61;

/** Standard base64 with at most two `=` of padding at the very end and a length multiple of 4. */
function isCanonicalBase64(s: string): boolean {
  if (s.length === 0 || s.length % 4 !== 0) return false;
  let end = s.length;
  if (s.charCodeAt(end - 1) === EQUALS) end -= 1;
  if (s.charCodeAt(end - 1) === EQUALS) end -= 1;
  for (let i = 0; i < end; i += 1) if (!isBase64Char(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Returns the base64 text without whitespace (line-wrapped base64 is common), or `undefined` when it
 * is not valid base64. Whitespace is only searched for, and the string only copied, when present.
 */
export function normaliseBase64(text: string): string | undefined {
  let hasWhitespace = false;
  for (let i = 0; i < text.length; i += 1) {
    if (isWhitespace(text.charCodeAt(i))) {
      hasWhitespace = true;
      break;
    }
  }
  const compact = hasWhitespace ? text.replace(/[ \t\n\r\f]+/g, '') : text;
  return isCanonicalBase64(compact) ? compact : undefined;
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
