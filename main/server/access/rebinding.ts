/**
 * Requests that may be a page that rebound its own domain to this gateway (DNS rebinding): their Host
 * header names a site that is not this gateway's (local-names.ts, HOST_URL, a platform's own name).
 * Such a request is the page's, whatever forwarding headers it adds itself.
 *
 * - The web admin refuses it when it comes from where the victim's browser would connect to reach
 *   what the attacker cannot: this computer (any of its addresses), its private network, Docker's
 *   or a VM's port forwarding, an IPv6 neighbour in this computer's /64 (routes/admin/host-guard.ts).
 *   From a public address the attacker could reach the admin without a rebinding; its password
 *   protects it.
 * - Access by address (WHITELIST_IPS, `auth`) does not extend to it from anywhere: the owner's
 *   address is what the page would ride on, wherever the gateway is (access-control.ts).
 *
 * Behind a platform's proxy the platform's name is HOST_URL's (on Spaces it defaults to SPACE_HOST:
 * cli/platform-defaults.ts).
 */
import type { FastifyRequest } from 'fastify';
import { ipBucket, isInternalAddress, normalizeIp, parseAddress } from './ip-match';
import { hostNameOf, isLocalName } from './local-names';

/** This computer or its network: where a rebinding browser's connection comes from. */
export function fromLocalNetwork(socket: FastifyRequest['socket']): boolean {
  const peer = normalizeIp(socket.remoteAddress ?? '');
  const local = normalizeIp(socket.localAddress ?? '');
  if (peer === '' || peer === local || isInternalAddress(peer)) return true;
  // IPv6 LANs hand out global addresses: a peer in this computer's /64 is a neighbour.
  return parseAddress(peer)?.kind() === 'ipv6' && ipBucket(peer) === ipBucket(local);
}

/**
 * The Host header of a request for a host name the gateway does not know (neither this computer's
 * nor `localNames`'), or undefined. Access by address (WHITELIST_IPS, `auth`) takes it from any peer:
 * a rebinding page reaches the gateway over plain http, where a browser sends neither Origin (on a
 * same-origin GET) nor Sec-Fetch-* (sent to https and localhost only), and it can do so at a public
 * address too (a VPS whose owner's home address is allowed): the Host is all that tells it from a
 * program. Programs that reach the gateway by a DNS name — behind a proxy, a tunnel, or a VPS's own
 * name — need that name in HOST_URL; an IP literal is always this gateway's.
 */
export function addressAccessForeignHost(
  request: FastifyRequest,
  localNames: ReadonlySet<string>,
): string | undefined {
  const header = request.headers.host;
  if (header === undefined) return undefined; // not a browser
  const name = hostNameOf(header);
  return name !== undefined && isLocalName(name, localNames) ? undefined : header;
}

/**
 * For the web admin: the same, only from this computer or its network (fromLocalNetwork). From a
 * public peer the attacker could reach the admin without a rebinding; its password protects it.
 */
export function rebindingHost(request: FastifyRequest, localNames: ReadonlySet<string>): string | undefined {
  return fromLocalNetwork(request.socket) ? addressAccessForeignHost(request, localNames) : undefined;
}
