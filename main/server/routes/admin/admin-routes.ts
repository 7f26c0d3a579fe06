/**
 * The HTTP transport of the admin contract: one route per ADMIN_HTTP entry (the table the renderer's
 * fetch client is derived from too), each calling the admin service. Errors reach the server's error
 * handler and leave in OpenAI's shape.
 */
import type { FastifyInstance } from 'fastify';
import type { AdminApi } from '../../../../shared/admin-contract';
import type { GalleryPage } from '../../../../shared/admin-dto';
import { ADMIN_HTTP, type AdminMethod } from '../../../../shared/admin-transport';
import { withOrigin } from '../../admin/gallery-admin';
import type { GatewayCore } from '../../core';
import { publicOrigin } from '../../images/public-origin';
import { HTTP_ARGS, HTTP_RESULT_FIELDS, HTTP_STATUS } from './http-args';

const invoke = (admin: AdminApi, method: AdminMethod, args: readonly unknown[]): Promise<unknown> =>
  (admin[method] as (...a: readonly unknown[]) => Promise<unknown>)(...args);

export function registerAdminRoutes(app: FastifyInstance, admin: AdminApi, core: GatewayCore): void {
  for (const method of Object.keys(ADMIN_HTTP) as AdminMethod[]) {
    const { method: verb, path } = ADMIN_HTTP[method];
    app.route({
      method: verb,
      url: path,
      handler: async (request, reply) => {
        const params = (request.params ?? {}) as Record<string, string | undefined>;
        const args = HTTP_ARGS[method]({
          id: params.id ?? '',
          query: (request.query ?? {}) as Record<string, unknown>,
          body: request.body,
        });
        let result = await invoke(admin, method, args);
        if (result === undefined) return reply.code(204).send();
        if (method === 'listImages') {
          // Links the service could not make absolute take the origin this browser used.
          result = withOrigin(result as GalleryPage, publicOrigin(request, core.settings.get().hostUrl));
        }
        const field = HTTP_RESULT_FIELDS[method];
        return reply.code(HTTP_STATUS[method] ?? 200).send(field ? { [field]: result } : result);
      },
    });
  }
}
