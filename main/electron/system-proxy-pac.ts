/**
 * Reads the answer of Electron's `session.resolveProxy(url)` — Chromium's PAC-style list such as
 * "PROXY 127.0.0.1:7890; DIRECT" — as the one proxy the upstream clients can tunnel through. Pure.
 *
 * Chromium tries the entries in order; we take the first one we can use the same way: PROXY (an HTTP
 * proxy) or HTTPS (one reached over TLS), both tunnelled with CONNECT by undici's ProxyAgent, or
 * DIRECT. The gateway tunnels through HTTP proxies only (undici's SOCKS5 support is experimental, and
 * OUTBOUND_PROXY refuses SOCKS too), so SOCKS entries (and QUIC, or anything unreadable) are passed
 * over; the first of them is kept so that the log can say why the calls then go direct.
 *
 * An empty answer is Electron's failed lookup, not a list: system-proxy.ts never brings it here.
 */

export interface PacRoute {
  /** `http://host:port` or `https://host:port`; '' connects directly. */
  proxy: string;
  /** The first entry Gemgate could not follow (e.g. "SOCKS5 127.0.0.1:7891"), when it went direct. */
  unsupported: string | undefined;
}

/** A bracketed IPv6 address or a host name / IPv4 address, and an optional port. */
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/i;

const SCHEMES: Readonly<Record<string, string>> = { PROXY: 'http', HTTPS: 'https' };

function proxyUrlOf(type: string, address: string): string | undefined {
  const scheme = SCHEMES[type];
  const match = HOST_PORT.exec(address);
  if (scheme === undefined || !match) return undefined;
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return `${scheme}://${match[1]}${port === undefined ? '' : `:${port}`}`;
}

export function parsePacProxy(pac: string): PacRoute {
  let unsupported: string | undefined;
  for (const entry of pac.split(';')) {
    const [word = '', ...rest] = entry.trim().split(/\s+/);
    if (word === '') continue;
    const type = word.toUpperCase();
    if (type === 'DIRECT' && rest.length === 0) return { proxy: '', unsupported };
    const url = rest.length === 1 && rest[0] !== undefined ? proxyUrlOf(type, rest[0]) : undefined;
    if (url !== undefined) return { proxy: url, unsupported: undefined };
    unsupported ??= entry.trim();
  }
  return { proxy: '', unsupported };
}
