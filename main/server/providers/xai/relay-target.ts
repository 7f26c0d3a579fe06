/**
 * Where a /xai/… request is relayed to (issue "xAI relay"; DESIGN §10: relays are never open
 * proxies). The upstream URL is always XAI_BASE_URL's origin plus a path checked segment by segment,
 * so nothing a caller sends can name another host or climb out of the base path.
 *
 * The raw request-target is judged, never the router's view of it: the router decodes `%2e%2e` to
 * `..` and `%2F` to `/`, and strips an absolute-form origin, so only the raw text shows what was
 * really asked for. Anything a URL parser would rewrite (dot segments, encoded dots and slashes,
 * backslashes, empty segments) is refused rather than normalised, so the path sent upstream is
 * exactly the path received.
 */

export type RelayTarget =
  | {
      ok: true;
      /** Absolute upstream URL: base origin + base path + `/v1/…` + the query, byte for byte. */
      url: string;
      /** The decoded path below the base (`/v1/chat/completions`), to decide how a request is handled. */
      path: string;
    }
  | { ok: false; status: 400 | 404; reason: string };

const RELAY_PREFIX = '/xai';
const API_ROOT = '/v1';
/** RFC 3986 `pchar`: unreserved, sub-delims, `:` `@` and well-formed percent-escapes. */
const PCHAR_SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;
/** RFC 3986 `query`: pchar plus `/` and `?`. */
const QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** Decoded characters that would change the path's structure once a URL parser sees them. */
const isStructural = (value: string): boolean =>
  [...value].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const refuse = (reason: string, status: 400 | 404 = 400): RelayTarget => ({ ok: false, status, reason });

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // an escape that is not UTF-8
  }
};

/** The base URL's origin and its path without a trailing `/` or `/v1` (both spellings are common). */
function parseBase(baseUrl: string): { origin: string; path: string } | undefined {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined;
  const path = base.pathname.replace(/\/+$/, '').replace(/\/v1$/i, '');
  return { origin: base.origin, path };
}

/** Checks a raw request-target (`request.url`) and builds the upstream URL on `baseUrl`. */
export function relayTarget(rawUrl: string, baseUrl: string): RelayTarget {
  if (!rawUrl.startsWith('/') || rawUrl.startsWith('//')) {
    return refuse('The xAI relay accepts only origin-form request targets (/xai/v1/…), never other hosts.');
  }
  if (rawUrl.includes('#')) return refuse('A request target cannot carry a fragment.');
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);
  const root = `${RELAY_PREFIX}${API_ROOT}`;
  if (rawPath !== root && !rawPath.startsWith(`${root}/`)) {
    return refuse(`The xAI relay serves ${root}/… only.`, 404);
  }

  const rest = rawPath.slice(RELAY_PREFIX.length); // `/v1/…`
  const segments = rest.split('/').slice(1);
  const decoded: string[] = [];
  for (const [i, segment] of segments.entries()) {
    // A trailing slash is a path of its own upstream; an empty segment elsewhere (`//`) is not.
    if (segment === '' && i < segments.length - 1) return refuse('Empty path segments (//) are not relayed.');
    const value = PCHAR_SEGMENT.test(segment) ? decodeSegment(segment) : undefined;
    if (value === undefined) return refuse('The path contains characters that cannot be relayed.');
    if (value === '.' || value === '..') return refuse('Dot segments (. and ..) are not relayed.');
    if (isStructural(value)) {
      return refuse('Encoded slashes, backslashes and control characters are not relayed.');
    }
    decoded.push(value);
  }
  if (!QUERY.test(query)) return refuse('The query contains characters that cannot be relayed.');

  const base = parseBase(baseUrl);
  if (!base) return refuse('XAI_BASE_URL is not an http(s) URL.');
  const prefix = `${base.path}${API_ROOT}`;
  const url = `${base.origin}${base.path}${rest}${q === -1 ? '' : `?${query}`}`;
  // Defence in depth: what a URL parser makes of it must still be the base's origin and path.
  const parsed = new URL(url);
  if (
    parsed.origin !== base.origin ||
    (parsed.pathname !== prefix && !parsed.pathname.startsWith(`${prefix}/`))
  ) {
    return refuse('The request target does not stay on XAI_BASE_URL.');
  }
  return { ok: true, url, path: `/${decoded.join('/')}` };
}
