/** GET /health: liveness for Docker/Spaces and the UI. Open to all, so it says nothing secret. */
import type { FastifyInstance } from 'fastify';
import type { GatewayCore } from '../core';

export function registerHealth(app: FastifyInstance, core: GatewayCore): void {
  app.get('/health', async () => {
    const keys = core.keys.availability();
    return {
      status: 'ok',
      version: core.version,
      uptimeSeconds: Math.floor((core.now() - core.startedAt) / 1000),
      keys: {
        total: keys.total,
        active: keys.active,
        cooling: keys.cooling,
        disabled: keys.disabled,
      },
      // Which store keeps generated images, and why it cannot, when it cannot (no credentials shown).
      images: core.images.status(),
    };
  });
}
