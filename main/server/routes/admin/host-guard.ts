/**
 * DNS rebinding guard for the web admin. The admin reveals and changes the Gemini keys and the
 * passwords, and its password defaults to the API password ("123"): a page that rebinds its own
 * name to 127.0.0.1 could sign in as a same-origin caller. So a request that reached us over a
 * loopback connection must name this computer in its Host header (access/local-names.ts), or
 * HOST_URL's host, or come from a proxy TRUST_PROXY trusts (which answers for the names it serves).
 * Connections from other addresses are not rebinding to this computer: they pass. The API routes
 * are not guarded: they answer any origin already, and a credential is what protects them.
 */
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostNameOf, isLocalName, localExtraNames } from '../../access/local-names';
import { parseAddress } from '../../access/ip-match';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';

const arrivedOverLoopback = (request: FastifyRequest): boolean =>
  parseAddress(request.socket.localAddress ?? '')?.range() === 'loopback';

export function refusedHost(
  request: FastifyRequest,
  hostUrl: string,
  machineName: string,
): string | undefined {
  const header = request.headers.host;
  if (header === undefined || !arrivedOverLoopback(request) || request.gemgate.proxyTrusted === true) {
    return undefined;
  }
  const name = hostNameOf(header);
  return name !== undefined && isLocalName(name, localExtraNames(machineName, hostUrl)) ? undefined : header;
}

export function registerAdminHostGuard(admin: FastifyInstance, core: GatewayCore): void {
  const machineName = hostname();
  admin.addHook('onRequest', (request, _reply, done) => {
    const refused = refusedHost(request, core.settings.get().hostUrl, machineName);
    if (refused === undefined) {
      done();
      return;
    }
    const shown = refused.slice(0, 100);
    const local = `http://127.0.0.1:${request.socket.localPort ?? 7860}/admin/`;
    core.log.warn(
      `Refused a web admin request for host "${shown}" on a loopback connection (a DNS rebinding attempt, or a name this gateway does not know: set HOST_URL).`,
    );
    done(
      new ApiError(
        'permission_denied',
        `The web admin does not answer to the host name "${shown}" on a connection from this computer: a web page may be trying to reach it (DNS rebinding). Open it at ${local}, or set HOST_URL to the address you use. 网页管理不响应此主机名（可能是 DNS 重绑定攻击）：请通过 ${local} 打开，或将 HOST_URL 设为您使用的地址。`,
      ),
    );
  });
}
