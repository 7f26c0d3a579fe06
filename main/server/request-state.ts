/**
 * What a request learns on its way through the gateway, for its one log entry (DESIGN §4 step 8).
 * Attached to the fastify request so the onResponse hook and the stream writer can both log it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface RequestState {
  startedAt: number;
  logged: boolean;
  model?: string;
  key?: string;
  stream?: boolean;
  attempts?: number;
  promptTokens?: number;
  completionTokens?: number;
  reasoningTokens?: number;
  errorCode?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    gemgate: RequestState;
  }
}

export const stateOf = (request: FastifyRequest): RequestState => request.gemgate;

/**
 * An AbortSignal that fires when the client goes away before the response is complete, so the
 * upstream call is cancelled at once instead of running (and costing quota) for nobody.
 */
export const clientAbortSignal = (reply: FastifyReply): AbortSignal => {
  const controller = new AbortController();
  const raw = reply.raw;
  const onClose = () => {
    if (!raw.writableFinished) controller.abort(new Error('client disconnected'));
  };
  raw.once('close', onClose);
  return controller.signal;
};
