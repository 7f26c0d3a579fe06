/**
 * DNS rebinding guard for the web admin. The admin reveals and changes the Gemini keys and the
 * passwords, and its password defaults to the API password ("123"): a page that rebinds its own
 * name to this computer could sign in as a same-origin caller. A request that may be such a page
 * (access/rebinding.ts: from this computer or its network, naming another site) is refused with a
 * 403 that says how to open the admin instead. The API routes are not refused: a credential protects
 * them, and access by address does not extend to such requests (access-control.ts).
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { localNamesFor } from '../../access/local-names';
import { rebindingHost } from '../../access/rebinding';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';

export function registerAdminHostGuard(admin: FastifyInstance, core: GatewayCore): void {
  const localNames = localNamesFor(hostname(), core.knownHosts);
  admin.addHook('onRequest', (request, _reply, done) => {
    const refused = rebindingHost(request, localNames(core.settings.get().hostUrl));
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
