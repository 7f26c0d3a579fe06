/**
 * IP addresses and CIDR lists (WHITELIST_IPS, BLACKLIST_IPS, TRUST_PROXY), IPv4 and IPv6.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, how a dual-stack socket reports IPv4 peers) are
 * treated as the IPv4 address they carry, on both sides of a comparison.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * Node's own (native) check decides what is an IP. It accepts IPv4 only in dotted-quad decimal:
 * ipaddr.isValid also takes the inet_aton forms — "10" is 0.0.0.10, "127.1" is 127.0.0.1 and
 * zero-padded octets are octal ("192.168.001.010" is 192.168.1.8) — so a padded list entry would
 * silently allow or block a different host. Such entries are invalid instead. ipaddr.js then only
 * parses IPv6, which is its slow part, and only for texts that are IPv6 addresses.
 */
const parseUncached = (text: string): Address | undefined => {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1');
  switch (isIP(trimmed)) {
    case 4:
      return new ipaddr.IPv4(trimmed.split('.').map(Number));
    case 6: {
      const address = ipaddr.IPv6.parse(trimmed);
      return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
    }
    default:
      return undefined;
  }
};

/**
 * Parsing runs on every request (client IP, lists, buckets) and ipaddr.js needs tens of µs for an
 * IPv6 text, while a gateway sees few distinct addresses at a time: results are memoised in a small
 * bounded map (least recently added dropped first). Addresses are never mutated, so sharing is safe.
 */
const PARSE_CACHE_SIZE = 4096;
const parsed = new Map<string, Address | null>();

/** Parses an address, unwrapping IPv4-mapped IPv6; undefined when it is not an IP. */
export const parseAddress = (text: string): Address | undefined => {
  const hit = parsed.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const address = parseUncached(text);
  if (parsed.size >= PARSE_CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
  parsed.set(text, address ?? null);
  return address;
};

/** The canonical text of an address ("::ffff:1.2.3.4" → "1.2.3.4"); the input itself when not an IP. */
export const normalizeIp = (text: string): string => parseAddress(text)?.toString() ?? text.trim();

const parseRange = (entry: string): Range | undefined => {
  const [host, bits, extra] = entry.trim().split('/');
  if (extra !== undefined || !host) return undefined;
  const address = parseAddress(host);
  if (!address) return undefined;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (bits === undefined) return [address, max];
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  let prefix = Number(bits);
  // "::ffff:10.0.0.0/104" was unwrapped to IPv4: shift the prefix accordingly.
  if (address.kind() === 'ipv4' && host.includes(':')) prefix -= 96;
  return prefix >= 0 && prefix <= max ? [address, prefix] : undefined;
};

export interface IpMatcher {
  matches(ip: string): boolean;
  readonly size: number;
}

/** Compiles a list of IPs/CIDRs; entries that are not IPs are reported in `invalid`. */
export function compileIpList(entries: readonly string[]): IpMatcher & { invalid: string[] } {
  const ranges: Range[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const range = parseRange(entry);
    if (range) ranges.push(range);
    else invalid.push(entry);
  }
  return {
    invalid,
    size: ranges.length,
    matches(ip: string) {
      if (ranges.length === 0) return false;
      const address = parseAddress(ip);
      if (!address) return false;
      return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
    },
  };
}

/** Internal networks: what a platform's own proxies (Spaces ingress, Docker, k8s) connect from. */
const INTERNAL_RANGES = new Set(['loopback', 'private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat']);

export const isInternalAddress = (ip: string): boolean => {
  const address = parseAddress(ip);
  return address !== undefined && INTERNAL_RANGES.has(address.range());
};

/**
 * The unit per-client limits and lockouts count by: the address itself for IPv4, its /64 for IPv6 —
 * one home or server usually holds a whole /64 and could otherwise rotate through it to escape them.
 */
export const ipBucket = (ip: string): string => {
  const address = parseAddress(ip);
  if (!address || address.kind() === 'ipv4') return address?.toString() ?? ip;
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
};
