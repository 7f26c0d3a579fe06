/** GET /health: liveness for Docker/Spaces and the UI. Open to all, so it says nothing secret. */
import type { FastifyInstance } from 'fastify';
import type { GatewayCore } from '../core';
import type { KeyPool } from '../keys/key-pool';

/** Counts only: no key, masked key or id. */
const countsOf = (pool: KeyPool) => {
  const { total, active, cooling, disabled } = pool.availability();
  return { total, active, cooling, disabled };
};

export function registerHealth(app: FastifyInstance, core: GatewayCore): void {
  app.get('/health', async () => {
    return {
      status: 'ok',
      version: core.version,
      uptimeSeconds: Math.floor((core.now() - core.startedAt) / 1000),
      keys: countsOf(core.keys),
      // The pooled xAI keys (XAI_API_KEYS), so a pool xAI refused is seen without the admin.
      xaiKeys: countsOf(core.xaiKeys),
      // Which store keeps generated images, and why it cannot, when it cannot (no credentials shown).
      images: core.images.status(),
    };
  });
}
