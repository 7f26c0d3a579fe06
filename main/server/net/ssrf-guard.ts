/**
 * The SSRF guard for URLs a client makes us fetch (DESIGN §10): only public addresses, checked
 * after DNS resolution, unless an operator allow-listed the host. The addresses vetted here are the
 * only ones the connection may use (see `pinnedLookup`), so a DNS answer that changes between the
 * check and the connect (DNS rebinding) cannot smuggle a private address in.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** How remote images may be fetched (settings feed this; see fetch-remote-image.ts). */
export interface RemoteFetchOptions {
  /** Host names or IPs that may be fetched even though private (intranets, tests). */
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  /** Injectable DNS for tests; defaults to node:dns/promises lookup with all: true. */
  lookup?: HostLookup;
  /**
   * The proxy Gemini is reached through (OUTBOUND_PROXY, else the tray's system proxy): '' or absent
   * for a direct connection. Image hosts blocked where Google is blocked need it too.
   */
  proxy?: string;
  /**
   * Take host names that resolve into the fake-IP range of proxy apps (see `isFakeIpAddress`): the
   * owner lets the proxy app resolve names (REMOTE_FETCH_VIA_PROXY).
   */
  acceptFakeIps?: boolean;
}

/**
 * 198.18.0.0/15, reserved for benchmarking and never routed on the internet, is where Clash, Mihomo
 * and sing-box hand out fake IPs in their TUN / fake-ip mode: every name resolves there, and the app
 * connects to the real host by name. Such an answer says nothing about where the host is; the proxy
 * app decides, as it would for a proxied fetch.
 */
export function isFakeIpAddress(ip: string): boolean {
  const bare = unbracket(ip);
  if (!ipaddr.isValid(bare)) return false;
  const address = ipaddr.process(bare);
  return address.kind() === 'ipv4' && address.match(ipaddr.IPv4.parse('198.18.0.0'), 15);
}

/**
 * Only plain global unicast counts as public. ipaddr.js names every special range (loopback,
 * private, linkLocal, uniqueLocal, carrierGradeNat, multicast, unspecified, reserved, broadcast,
 * 6to4, teredo, NAT64 …), so anything with a name other than 'unicast' is refused — including
 * 6to4/teredo/NAT64 forms, which can embed a private IPv4 address.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = unbracket(ip);
  if (!ipaddr.isValid(bare)) return false;
  // process() unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it stands for.
  return ipaddr.process(bare).range() === 'unicast';
}

const unbracket = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/** One spelling per host: lower case, no brackets or trailing dot, IPs in canonical form. */
export function normalizeHost(host: string): string {
  const bare = unbracket(host.trim().toLowerCase()).replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

export const isIpLiteral = (host: string): boolean => ipaddr.isValid(unbracket(host));

export const defaultLookup: HostLookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type HostVerdict =
  { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: string; cause?: unknown };

/**
 * Resolves `hostname` and says whether it may be fetched. An allow-listed host name may resolve
 * anywhere; otherwise every address must be public or itself allow-listed (an intranet IP).
 * Every address must pass, not just one: the connection may use any of them.
 */
export async function vetHost(
  hostname: string,
  allowedHosts: ReadonlySet<string>,
  lookup: HostLookup,
  acceptFakeIps = false,
): Promise<HostVerdict> {
  const host = normalizeHost(hostname);
  if (isIpLiteral(host)) {
    const family = ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4;
    const addresses: ResolvedAddress[] = [{ address: host, family }];
    if (allowedHosts.has(host) || isPublicAddress(host)) return { ok: true, addresses };
    return { ok: false, reason: 'is a private or reserved address' };
  }

  let addresses: ResolvedAddress[];
  try {
    addresses = await lookup(host);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    return {
      ok: false,
      reason: `could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`,
      cause,
    };
  }
  if (addresses.length === 0) return { ok: false, reason: 'could not be resolved (no addresses)' };
  if (allowedHosts.has(host)) return { ok: true, addresses };
  for (const { address } of addresses) {
    if (isPublicAddress(address) || allowedHosts.has(normalizeHost(address))) continue;
    // A name (never an IP literal, above) answered from a proxy app's fake-IP range.
    if (acceptFakeIps && isFakeIpAddress(address)) continue;
    return { ok: false, reason: 'resolves to a private address' };
  }
  return { ok: true, addresses };
}

/**
 * A `net.connect` lookup that answers only from addresses already vetted, keyed by normalized host
 * name. A host that was never vetted fails instead of falling back to DNS.
 */
export function pinnedLookup(vetted: ReadonlyMap<string, readonly ResolvedAddress[]>): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const all = vetted.get(normalizeHost(hostname)) ?? [];
    const usable = wanted ? all.filter((a) => a.family === wanted) : all;
    const first = usable[0];
    if (first === undefined) {
      const err: NodeJS.ErrnoException = new Error(`${hostname} was not vetted by the SSRF guard`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
      return;
    }
    if (options.all) {
      callback(
        null,
        usable.map((a): LookupAddress => ({ address: a.address, family: a.family })),
      );
    } else {
      callback(null, first.address, first.family);
    }
  };
}
