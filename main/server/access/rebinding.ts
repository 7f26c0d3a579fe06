/**
 * Whether a request may be a page that rebound its own domain to this gateway (DNS rebinding): it
 * arrived from where the victim's browser would connect — this computer (any of its addresses), its
 * private network, Docker's or a VM's port forwarding, or an IPv6 neighbour in this computer's /64 —
 * and its Host header names a site that is not this computer's (local-names.ts). Such a request is
 * the page's, whatever forwarding headers it adds itself. The web admin refuses it
 * (routes/admin/host-guard.ts); access by address does not extend to it (access-control.ts).
 *
 * A connection from a public address is not a rebinding to this computer: the attacker could reach
 * the gateway there without one. Behind a platform's proxy (an internal peer), the platform's name is
 * HOST_URL's (on Spaces it defaults to SPACE_HOST: cli/platform-defaults.ts).
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

/** The Host header when it names neither this computer nor `localNames`' hosts; undefined otherwise. */
function foreignHost(request: FastifyRequest, localNames: ReadonlySet<string>): string | undefined {
  const header = request.headers.host;
  if (header === undefined) return undefined; // not a browser
  const name = hostNameOf(header);
  return name !== undefined && isLocalName(name, localNames) ? undefined : header;
}

/**
 * For the web admin: the Host header of a request that may be a rebinding page, or undefined when it
 * is not one — from a public peer (the attacker could reach the gateway there without rebinding, and
 * the admin password is what protects it), or naming this computer or `localNames`' hosts.
 */
export function rebindingHost(request: FastifyRequest, localNames: ReadonlySet<string>): string | undefined {
  return fromLocalNetwork(request.socket) ? foreignHost(request, localNames) : undefined;
}

/**
 * For access by address (WHITELIST_IPS, `auth`): the Host header of a request that may be a page,
 * or undefined. From this computer or its network, any request for a host name the gateway does not
 * know: a rebinding page reaches the gateway over plain http, where browsers send neither Origin (on
 * a same-origin GET) nor the Sec-Fetch-* headers (only sent to https and localhost), so nothing else
 * tells it from a program; programs behind a local proxy or tunnel need HOST_URL. From elsewhere, a
 * browser's request for such a host (Sec-Fetch-Site, which a page cannot remove; programs do not
 * send it) — over https, where a rebinding would fail the certificate check anyway.
 */
export function addressAccessForeignHost(
  request: FastifyRequest,
  localNames: ReadonlySet<string>,
): string | undefined {
  if (fromLocalNetwork(request.socket)) return foreignHost(request, localNames);
  return request.headers['sec-fetch-site'] === undefined ? undefined : foreignHost(request, localNames);
}
