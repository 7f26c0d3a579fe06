/**
 * DNS rebinding guard for the web admin. The admin reveals and changes the Gemini keys and the
 * passwords, and its password defaults to the API password ("123"): a page that rebinds its own
 * name to this computer could sign in as a same-origin caller. So a request that comes from this
 * computer or its network — a loopback or private peer, which is where a rebinding browser connects
 * from, directly or through Docker's or a VM's port forwarding — must name this computer in its
 * Host header (access/local-names.ts) or HOST_URL's host. A proxy TRUST_PROXY trusts answers for
 * the names it serves (a platform's ingress: Spaces), but never a loopback one: a browser on this
 * computer connects from there too, and can add forwarding headers of its own. Public peers are
 * not rebinding to this computer: they pass. The API routes are not guarded: they answer any origin
 * already, and a credential is what protects them.
 */
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostNameOf, isLocalName, localNamesFor } from '../../access/local-names';
import { isInternalAddress, parseAddress } from '../../access/ip-match';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';

/** Whether the connection comes from where a rebinding browser would: this computer or its network. */
function guarded(request: FastifyRequest): boolean {
  const peer = request.socket.remoteAddress ?? '';
  if (!isInternalAddress(peer)) return false;
  const loopback = parseAddress(peer)?.range() === 'loopback';
  return loopback || request.gemgate.proxyTrusted !== true;
}

/** The Host header this request must not be answered for, or undefined when it may be. */
export function refusedHost(
  request: FastifyRequest,
  hostUrl: string,
  localNames: (hostUrl: string) => ReadonlySet<string>,
): string | undefined {
  const header = request.headers.host;
  if (header === undefined || !guarded(request)) return undefined;
  const name = hostNameOf(header);
  return name !== undefined && isLocalName(name, localNames(hostUrl)) ? undefined : header;
}

export function registerAdminHostGuard(admin: FastifyInstance, core: GatewayCore): void {
  const localNames = localNamesFor(hostname());
  admin.addHook('onRequest', (request, _reply, done) => {
    const refused = refusedHost(request, core.settings.get().hostUrl, localNames);
    if (refused === undefined) {
      done();
      return;
    }
    const shown = refused.slice(0, 100);
    const local = `http://127.0.0.1:${request.socket.localPort ?? 7860}/admin/`;
    core.log.warn(
      `Refused a web admin request for host "${shown}" from ${request.socket.remoteAddress ?? 'an unknown address'} (a DNS rebinding attempt, or a name this gateway does not know: set HOST_URL).`,
    );
    done(
      new ApiError(
        'permission_denied',
        `The web admin does not answer to the host name "${shown}" on a connection from this computer or its network: a web page may be trying to reach it (DNS rebinding). Open it at ${local} (or by this computer's IP address), or set HOST_URL to the address you use. 网页管理不响应此主机名（可能是 DNS 重绑定攻击）：请通过 ${local}（或本机 IP 地址）打开，或将 HOST_URL 设为您使用的地址。`,
      ),
    );
  });
}
