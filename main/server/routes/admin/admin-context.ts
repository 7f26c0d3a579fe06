/**
 * Everything under /admin lives in one fastify context: the session guard runs only here (not on
 * every API request), and nothing here is ever cross-origin. The public API answers any origin
 * (CORS is registered for the whole server, cheaply, with static options); this context takes those
 * headers back on every answer, preflights included — for any spelling of the path, because the
 * router decides the context after decoding (`/%61dmin/…` lands here too).
 *
 * In it: the DNS rebinding guard (host-guard.ts), login/logout and the session guard, the contract's
 * routes, the live log stream, the built web admin.
 */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AdminHost } from '../../admin/admin-host';
import { createAdminService } from '../../admin/admin-service';
import { httpAdminHost } from '../../admin/http-admin-host';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { registerAdminAuth } from './admin-auth';
import { registerAdminRoutes } from './admin-routes';
import { registerAdminHostGuard } from './host-guard';
import { registerLogStream } from './log-stream';
import { withoutCors } from './no-cors';
import { registerRendererStatic } from './renderer-static';

export interface AdminHttpOptions {
  /** The shell's host; default: this server as the listener and the core's settings source. */
  host?: AdminHost;
  /** The built web admin; default dist/renderer under the working directory. */
  rendererDir?: string;
}

export async function registerAdmin(
  app: FastifyInstance,
  core: GatewayCore,
  options: AdminHttpOptions = {},
): Promise<void> {
  const host = options.host ?? httpAdminHost(core, () => app.server);
  const rendererDir = options.rendererDir ?? resolve(process.cwd(), 'dist', 'renderer');
  await app.register(async (admin) => {
    admin.addHook('onSend', (_request, reply, payload, done) => {
      withoutCors(reply);
      done(null, payload);
    });
    registerAdminHostGuard(admin, core);
    registerAdminAuth(admin, core);
    registerAdminRoutes(admin, createAdminService(core, host), core);
    registerLogStream(admin, core.log);
    await registerRendererStatic(admin, rendererDir);
    // Any other /admin path (preflights included) is answered here, so it stays without CORS.
    admin.all('/admin/*', async (request) => {
      throw new ApiError('not_found', `Unknown route: ${request.method} ${request.url.split('?')[0]}`);
    });
  });
}
