/**
 * createServer(core): the fastify instance with every plugin and route, not listening (DESIGN §1).
 * The composition roots decide where and when it listens; tests call it directly.
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerPasswordGate } from './access/require-password';
import type { GatewayCore } from './core';
import { ApiError } from './errors';
import { sendError, toApiError } from './http-errors';
import { registerRequestLog } from './logging/request-log';
import { registerChatCompletions } from './routes/v1/chat-completions';
import { registerModels } from './routes/v1/models';
import { registerHealth } from './routes/health';

export async function createServer(core: GatewayCore): Promise<FastifyInstance> {
  const maxBodyMb = core.settings.get().maxBodyMb;
  const app = Fastify({
    logger: false,
    bodyLimit: Math.round(maxBodyMb * 1024 * 1024),
    // Client IPs come from the socket; TRUST_PROXY handling lives in the access layer.
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.decorateRequest('gemgate', null as never);
  app.addHook('onRequest', async (request) => {
    request.gemgate = { startedAt: core.now(), logged: false };
  });

  // The public API is called from browser-based clients (LobeChat, NextChat web) too.
  await app.register(cors, { origin: '*', maxAge: 86_400 });

  app.setErrorHandler(async (err, request, reply) => {
    const error = toApiError(err, maxBodyMb);
    if (error.status >= 500) {
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

  registerRequestLog(app, core);
  registerPasswordGate(app, core);
  registerHealth(app, core);
  registerModels(app, core);
  registerChatCompletions(app, core);
  return app;
}
