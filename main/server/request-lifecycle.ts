/**
 * The two hooks every request passes: its state is created on arrival, and when it ends — answered,
 * or abandoned by a client that disconnected first ('finish' never comes then: its upstream call is
 * aborted) — its access-key use is settled and its one log entry written. Kept to one callback-style hook each: they run on every
 * request, and async hooks cost a promise apiece.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { settleAccessKeyUse } from './access/access-control';
import type { GatewayCore } from './core';
import { CLIENT_CLOSED, logRequest } from './logging/request-log';
import { newRequestState } from './request-state';

function finish(core: GatewayCore, request: FastifyRequest, status: number): void {
  const state = request.gemgate;
  if (state.finished) return;
  state.finished = true;
  settleAccessKeyUse(request, status);
  logRequest(core, request, status);
  core.metrics.requestFinished(state, request.routeOptions.url ?? 'unrouted', request.method, status, {
    prompt: state.promptTokens,
    completion: state.completionTokens,
    reasoning: state.reasoningTokens,
  });
}

export function registerRequestLifecycle(app: FastifyInstance, core: GatewayCore): void {
  app.addHook('onRequest', (request, reply, done) => {
    request.gemgate = newRequestState(core.now());
    core.metrics.requestStarted(request.gemgate);
    const raw = reply.raw;
    raw.once('close', () => {
      if (raw.writableFinished) return;
      const state = request.gemgate;
      state.clientGone = true;
      state.abort?.abort(new Error('client disconnected'));
      finish(core, request, CLIENT_CLOSED);
    });
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    finish(core, request, reply.statusCode);
    done();
  });
}
