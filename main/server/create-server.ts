/**
 * createServer(core): the fastify instance with every plugin and route, not listening (DESIGN §1).
 * The composition roots decide where and when it listens; tests call it directly.
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAccessControl } from './access/access-control';
import { registerRateLimits } from './access/rate-limits';
import type { GatewayCore } from './core';
import { ApiError } from './errors';
import { sendError, toApiError } from './http-errors';
import { registerJsonBodyParser } from './json-body';
import { registerRequestLifecycle } from './request-lifecycle';
import { registerChatCompletions } from './routes/v1/chat-completions';
import { registerEmbeddings } from './routes/v1/embeddings';
import { registerGeminiNative } from './routes/gemini/native-routes';
import { registerImageRoutes } from './routes/v1/images';
import { registerModels } from './routes/v1/models';
import { registerAdmin, type AdminHttpOptions } from './routes/admin/admin-context';
import { registerHealth } from './routes/health';
import { registerMetrics } from './routes/metrics';
import { registerMediaRoute } from './routes/media';
import { registerXaiRelay } from './routes/relay/xai-relay';

/** What the shell may tell the server; everything has a default that suits headless and tests. */
export interface ServerOptions {
  /** The admin service's host (the shell's listener status and writable settings). */
  adminHost?: AdminHttpOptions['host'];
  /** The built web admin served at /admin/ (default: dist/renderer under the working directory). */
  rendererDir?: string;
}

export async function createServer(core: GatewayCore, options: ServerOptions = {}): Promise<FastifyInstance> {
  const maxBodyMb = core.settings.get().maxBodyMb;
  const app = Fastify({
    logger: false,
    bodyLimit: Math.round(maxBodyMb * 1024 * 1024),
    // Client IPs come from the socket; TRUST_PROXY handling lives in the access layer.
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  registerJsonBodyParser(app, Math.round(maxBodyMb * 1024 * 1024));
  app.decorateRequest('gemgate', null as never);
  registerRequestLifecycle(app, core);
  // Browser-based clients (LobeChat, NextChat web) call the API: any origin may. Static options are
  // cheap per request; the admin context takes the headers back (routes/admin/admin-context.ts).
  await app.register(cors, { origin: '*', maxAge: 86_400 });

  app.setErrorHandler(async (err, request, reply) => {
    const error = toApiError(err, maxBodyMb);
    if (error.status >= 500 && error.code !== 'client_closed') {
      const cause = error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : '';
      core.log.error(
        `${request.method} ${request.url.split('?')[0]} failed: ${error.message} ${cause}`.trim(),
      );
    }
    return sendError(request, reply, error);
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendError(
      request,
      reply,
      new ApiError('not_found', `Unknown route: ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  registerAccessControl(app, core);
  await registerRateLimits(app, core);

  registerHealth(app, core);
  registerMetrics(app, core);
  registerMediaRoute(app, () => core.images.library);
  registerModels(app, core);
  registerChatCompletions(app, core);
  await registerXaiRelay(app, core);
  registerEmbeddings(app, core);
  await registerGeminiNative(app, core);
  await registerImageRoutes(app, core, maxBodyMb);
  await registerAdmin(app, core, {
    ...(options.adminHost ? { host: options.adminHost } : {}),
    ...(options.rendererDir !== undefined ? { rendererDir: options.rendererDir } : {}),
  });
  return app;
}
