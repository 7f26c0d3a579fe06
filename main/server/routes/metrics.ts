/**
 * GET /metrics in Prometheus text format. Operators' data is not public: it takes METRICS_TOKEN (for
 * a scraper's `authorization` config) or, when none is set, the admin password or an admin session.
 * /metrics is no API dialect, so access control's brute-force guard does not cover it: wrong tokens
 * count in the admin login's lockout instead (access/password-lockout.ts) — without it, thousands of
 * guesses a second at the admin password, which reveals every Gemini key, went unchecked.
 */
import type { FastifyInstance } from 'fastify';
import { clientIpOf, refuseIfLockedOut } from '../access/password-lockout';
import { secretEquals } from '../access/constant-time';
import { bearerToken } from '../access/credentials';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { adminPasswordOf } from './admin/admin-auth';

export function registerMetrics(app: FastifyInstance, core: GatewayCore): void {
  app.get('/metrics', async (request, reply) => {
    const s = core.settings.get();
    const ip = clientIpOf(request);
    refuseIfLockedOut(core, ip);
    const token = bearerToken(request);
    const allowed =
      token !== undefined &&
      (s.metricsToken
        ? secretEquals(token, s.metricsToken)
        : secretEquals(token, adminPasswordOf(core)) || core.adminSessions.verify(token));
    if (!allowed) {
      // A missing token is no guess (as on the API); a wrong METRICS_TOKEN is one, weak ones exist too.
      if (token !== undefined) {
        core.authorisedIps.recordFailure(ip);
        core.log.warn(`metrics: wrong token from ${ip}`);
      }
      throw new ApiError(
        'invalid_api_key',
        s.metricsToken
          ? 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.'
          : 'GET /metrics needs Authorization: Bearer <admin password> (or set METRICS_TOKEN).',
      );
    }
    return reply.type(core.metrics.contentType).send(await core.metrics.scrape());
  });
}
