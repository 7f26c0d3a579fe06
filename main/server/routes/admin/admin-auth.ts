/**
 * /admin/api/login, /logout, /session and the guard in front of every other /admin/api route.
 * Wrong passwords are throttled per IP in the bucket GET /metrics and the auth command share
 * (access/password-lockout.ts).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginSchema, type AdminSession } from '../../../../shared/admin-contract';
import { clientIpOf, refuseIfLockedOut } from '../../access/password-lockout';
import { secretEquals } from '../../access/constant-time';
import { bearerToken } from '../../access/credentials';
import { routedPath } from '../../access/request-path';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { sendError } from '../../http-errors';
import { parseBody } from '../../openai/parse-request';

/**
 * A login body is one password. The one /admin/api route open without a session must not read up to
 * MAX_BODY_MB (50 MB) of body before its lockout check: eight concurrent 48 MB logins had taken the
 * process from 99 MB to 546 MB.
 */
export const LOGIN_BODY_LIMIT = 16 * 1024;

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

  const loginRoute = {
    bodyLimit: LOGIN_BODY_LIMIT,
    // The server-wide handler would name MAX_BODY_MB, which is not the limit that refused this body.
    errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error; // on to the server-wide handler
      sendError(
        request,
        reply,
        new ApiError('request_too_large', `A login body is at most ${LOGIN_BODY_LIMIT / 1024} KiB.`),
      );
    },
  };
  app.post('/admin/api/login', loginRoute, async (request): Promise<AdminSession> => {
    const ip = clientIpOf(request);
    refuseIfLockedOut(core, ip);
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
