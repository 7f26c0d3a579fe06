/**
 * /admin/api/login, /logout, /session and the guard in front of every other /admin/api route.
 * Wrong passwords are throttled per IP like the `auth` command.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loginSchema, type AdminSession } from '../../../../shared/admin-contract';
import { secretEquals } from '../../access/constant-time';
import { bearerToken } from '../../access/credentials';
import { routedPath } from '../../access/request-path';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { parseBody } from '../../openai/parse-request';

const OPEN_PATHS = new Set(['/admin/api/login']);

export const adminPasswordOf = (core: GatewayCore): string =>
  core.settings.get().adminPassword || core.settings.get().password;

/** The session token: a Bearer header, or `?token=` for EventSource, which cannot set headers. */
const sessionToken = (request: FastifyRequest): string | undefined => {
  const header = bearerToken(request);
  if (header) return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
};

export function registerAdminAuth(app: FastifyInstance, core: GatewayCore): void {
  app.addHook('onRequest', async (request) => {
    // The routed path, not the raw URL: `/%61dmin/api/…` runs the same handlers (request-path.ts).
    const path = routedPath(request);
    if (!path.startsWith('/admin/api/') || OPEN_PATHS.has(path) || request.method === 'OPTIONS') return;
    if (!core.adminSessions.verify(sessionToken(request))) {
      throw new ApiError('admin_unauthorized', 'Sign in to the admin first (POST /admin/api/login).');
    }
  });

  app.post('/admin/api/login', async (request): Promise<AdminSession> => {
    const ip = request.gemgate.ip ?? request.ip;
    const locked = core.authorisedIps.lockedFor(ip);
    if (locked > 0) {
      throw new ApiError('auth_attempts_exceeded', `Too many wrong passwords. Try again in ${locked} s.`, {
        retryAfterSeconds: locked,
      });
    }
    const { password } = parseBody(loginSchema, request.body);
    if (!secretEquals(password, adminPasswordOf(core))) {
      core.authorisedIps.recordFailure(ip);
      core.log.warn(`admin: wrong password from ${ip}`);
      throw new ApiError('admin_unauthorized', 'Wrong admin password.');
    }
    core.log.info(`admin: signed in from ${ip}`);
    return core.adminSessions.issue();
  });

  app.post('/admin/api/logout', async (request) => {
    core.adminSessions.revoke(sessionToken(request));
    return { ok: true };
  });

  app.get('/admin/api/session', async () => ({ ok: true }));
}
