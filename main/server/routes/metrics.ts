/**
 * GET /metrics in Prometheus text format. Operators' data is not public: it takes METRICS_TOKEN (for
 * a scraper's `authorization` config) or, when none is set, the admin password or an admin session.
 */
import type { FastifyInstance } from 'fastify';
import { secretEquals } from '../access/constant-time';
import { bearerToken } from '../access/credentials';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';

export function registerMetrics(app: FastifyInstance, core: GatewayCore): void {
  app.get('/metrics', async (request, reply) => {
    const s = core.settings.get();
    const token = bearerToken(request);
    const allowed =
      token !== undefined &&
      (s.metricsToken
        ? secretEquals(token, s.metricsToken)
        : secretEquals(token, s.adminPassword || s.password) || core.adminSessions.verify(token));
    if (!allowed) {
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
