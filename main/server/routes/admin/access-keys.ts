/** HTTP transport of the access-key part of the admin contract. */
import type { FastifyInstance } from 'fastify';
import type { AccessKeyInput, AccessKeyPatch } from '../../../../shared/admin-contract';
import type { AccessKeyAdmin } from '../../../../shared/admin-contract';

export function registerAccessKeyRoutes(app: FastifyInstance, admin: AccessKeyAdmin): void {
  app.get('/admin/api/access-keys', async () => admin.listAccessKeys());
  app.post<{ Body: AccessKeyInput }>('/admin/api/access-keys', async (request, reply) =>
    reply.code(201).send(await admin.createAccessKey(request.body)),
  );
  app.patch<{ Params: { id: string }; Body: AccessKeyPatch }>('/admin/api/access-keys/:id', async (request) =>
    admin.updateAccessKey(request.params.id, request.body),
  );
  app.delete<{ Params: { id: string } }>('/admin/api/access-keys/:id', async (request, reply) => {
    await admin.revokeAccessKey(request.params.id);
    return reply.code(204).send();
  });
}
