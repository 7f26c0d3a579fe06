/**
 * Everything under /admin lives in one fastify context: the session guard runs only here (not on
 * every API request), and nothing here is ever cross-origin. The public API answers any origin
 * (CORS is registered for the whole server, cheaply, with static options); this context takes those
 * headers back on every answer, preflights included — for any spelling of the path, because the
 * router decides the context after decoding (`/%61dmin/…` lands here too).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { createAdminService } from '../../admin/admin-service';
import { registerAccessKeyRoutes } from './access-keys';
import { registerAdminAuth } from './admin-auth';

const withoutCors = (reply: FastifyReply) => {
  for (const name of Object.keys(reply.getHeaders())) {
    if (name.startsWith('access-control-')) reply.removeHeader(name);
  }
};

export async function registerAdmin(app: FastifyInstance, core: GatewayCore): Promise<void> {
  await app.register(async (admin) => {
    admin.addHook('onSend', (_request, reply, payload, done) => {
      withoutCors(reply);
      done(null, payload);
    });
    registerAdminAuth(admin, core);
    registerAccessKeyRoutes(admin, createAdminService(core));
    // Any other /admin path (preflights included) is answered here, so it stays without CORS.
    admin.all('/admin/*', async (request) => {
      throw new ApiError('not_found', `Unknown route: ${request.method} ${request.url.split('?')[0]}`);
    });
  });
}
