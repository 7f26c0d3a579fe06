/**
 * The client's IP (DESIGN §4 step 1, §10). By default the socket peer — headers are ignored, because
 * anyone can send `X-Forwarded-For: <whitelisted ip>`. With TRUST_PROXY set, the forwarding chain is
 * walked from the right (the entry our own proxy appended) towards the left, past trusted proxies only;
 * the first untrusted hop is the client. Spoofed entries a client prepends are therefore never reached.
 *
 * TRUST_PROXY:
 * - `false` (default): socket peer.
 * - `true`: trust hops on internal networks (loopback, private, link-local, ULA, CGNAT) — the
 *   proxies of Hugging Face Spaces, Docker, Kubernetes, a reverse proxy on the same host.
 * - `N` (a number): trust exactly N hops, the socket peer being the first.
 * - a list of IPs/CIDRs: trust hops in those ranges.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { compileIpList, isInternalAddress, normalizeIp } from './ip-match';

export type TrustHop = (ip: string, hopIndex: number) => boolean;

export function parseTrustProxy(setting: string): TrustHop | undefined {
  const value = setting.trim().toLowerCase();
  if (['', 'false', 'off', 'no', '0'].includes(value)) return undefined;
  if (['true', 'on', 'yes'].includes(value)) return (ip) => isInternalAddress(ip);
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_ip, index) => index < hops;
  }
  const list = compileIpList(value.split(/[\s,]+/).filter(Boolean));
  return (ip) => list.matches(ip);
}

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The forwarding chain, nearest hop first: socket peer, then X-Forwarded-For right to left. */
const forwardingChain = (peer: string, headers: IncomingHttpHeaders): string[] => {
  const chain = [peer];
  const xff = headers['x-forwarded-for'];
  const entries = (Array.isArray(xff) ? xff.join(',') : (xff ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length > 0) {
    for (let i = entries.length - 1; i >= 0; i--) chain.push(normalizeIp(entries[i]!));
    return chain;
  }
  // Proxies that set a single-value header instead of X-Forwarded-For.
  const single = firstHeader(headers['cf-connecting-ip']) ?? firstHeader(headers['x-real-ip']);
  if (single?.trim()) chain.push(normalizeIp(single));
  return chain;
};

export function resolveClientIp(
  socketPeer: string | undefined,
  headers: IncomingHttpHeaders,
  trust: TrustHop | undefined,
): string {
  const peer = normalizeIp(socketPeer ?? '');
  if (!trust) return peer;
  const chain = forwardingChain(peer, headers);
  let index = 0;
  while (index < chain.length - 1 && trust(chain[index]!, index)) index++;
  return chain[index]!;
}

/** Headers a proxy adds to name the client it forwards for (the ones read above, and RFC 7239's). */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-real-ip', 'cf-connecting-ip', 'forwarded'] as const;

export const carriesForwardingHeaders = (headers: IncomingHttpHeaders): boolean =>
  FORWARDING_HEADERS.some((name) => headers[name] !== undefined);
