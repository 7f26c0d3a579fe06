/**
 * Which headers cross the relay (issue "xAI relay", wire-format §5.1). End-to-end headers pass in
 * both directions; hop-by-hop ones (RFC 9110 §7.6.1: the fixed list plus any name the Connection
 * header lists) describe one connection and never do. The caller's credentials never leave the
 * gateway: Authorization is always replaced by the xAI key chosen for the call, and the other key
 * headers and cookies are dropped.
 */

export type HeaderValue = string | string[] | undefined;
export type HeaderMap = Readonly<Record<string, HeaderValue>>;
export type OutgoingHeaders = Record<string, string | string[]>;

const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

/** Not forwarded to xAI, beyond hop-by-hop ones. */
const REQUEST_ONLY: ReadonlySet<string> = new Set([
  // undici derives these from the URL and body.
  'host',
  'content-length',
  // Replaced by the xAI key; the other key headers clients use (Gemini's, Anthropic's, Azure
  // OpenAI's) could carry the gateway password or an access key, which must not reach a third party.
  'authorization',
  'x-goog-api-key',
  'x-api-key',
  'api-key',
  // Cookies a browser holds for the gateway's origin (an admin session among them) are the
  // gateway's, never xAI's.
  'cookie',
  // undici refuses `expect`; the gateway already has the body.
  'expect',
  // About the hops to the gateway (and the client's address): nothing xAI needs to see.
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'cf-connecting-ip',
]);

/** Names listed in the Connection header(s): hop-by-hop by declaration. */
export function connectionListed(headers: HeaderMap): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'connection' || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      for (const token of v.split(',')) {
        const listed = token.trim().toLowerCase();
        if (listed !== '') names.add(listed);
      }
    }
  }
  return names;
}

const isHopByHop = (name: string, listed: ReadonlySet<string>): boolean =>
  HOP_BY_HOP.has(name) || name.startsWith('proxy-') || listed.has(name);

function copyHeaders(headers: HeaderMap, skip: (name: string) => boolean): OutgoingHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHeaders = {};
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (isHopByHop(name, listed) || skip(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The caller's headers as sent to xAI, with `authorization: Bearer <key>`. A streamed body keeps its
 * declared Content-Length (undici checks the body against it); a body the gateway holds in memory
 * gets its length from undici.
 *
 * A pooled key's answer is read by the gateway: a 400 "Incorrect API key" disables the key, a 403
 * names why it cools (xai-keys.ts). Compressed, as the caller's Accept-Encoding would let xAI send
 * it, that body could not be read and a revoked key would stay in rotation; so pooled calls ask for
 * `identity`. Simpler than decompressing (gzip, br, zstd…) and just as correct for the caller, who
 * receives an uncompressed body with no Content-Encoding. A caller's own key is never judged: its
 * Accept-Encoding passes.
 */
export function upstreamRequestHeaders(
  incoming: HeaderMap,
  key: string,
  options: { streamedBody: boolean; pooledKey: boolean },
): OutgoingHeaders {
  const out = copyHeaders(incoming, (name) => REQUEST_ONLY.has(name));
  const length = incoming['content-length'];
  if (options.streamedBody && typeof length === 'string') out['content-length'] = length;
  if (options.pooledKey) out['accept-encoding'] = 'identity';
  out['authorization'] = `Bearer ${key}`;
  return out;
}

/**
 * The headers of a JSON request the gateway writes itself (image requests): only what xAI needs.
 * The gateway reads the answer, so it asks for it uncompressed.
 */
export const gatewayJsonHeaders = (key: string): OutgoingHeaders => ({
  'content-type': 'application/json',
  accept: 'application/json',
  'accept-encoding': 'identity',
  authorization: `Bearer ${key}`,
});

/**
 * xAI's response headers as returned to the caller. Its CORS headers would replace the gateway's
 * own; its cookies are scoped to x.ai and would land on the gateway's origin. When the gateway sends
 * the body from memory (`fromMemory`), the server computes the length itself.
 */
export function clientResponseHeaders(
  upstream: HeaderMap,
  options: { fromMemory: boolean },
): OutgoingHeaders {
  return copyHeaders(
    upstream,
    (name) =>
      name.startsWith('access-control-') ||
      name === 'set-cookie' ||
      (options.fromMemory && name === 'content-length'),
  );
}
