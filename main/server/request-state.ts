/**
 * What a request learns on its way through the gateway, for its one log entry (DESIGN §4 step 8).
 * Attached to the fastify request so the onResponse hook and the stream writer can both log it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessKeyTicket } from './access/access-keys';

/** How the caller got in: `pending` = no credential yet, maybe an `auth` command (decided after parsing). */
export type AccessVia = 'password' | 'access_key' | 'allow_list' | 'auth_command' | 'pending';

export interface RequestState {
  startedAt: number;
  logged: boolean;
  /** Set once the request was answered or abandoned (its end is handled exactly once). */
  finished?: boolean;
  /** The client IP as resolved under TRUST_PROXY (the socket peer by default). */
  ip?: string;
  /** The socket peer is a trusted proxy: its X-Forwarded-* headers may be believed. */
  proxyTrusted?: boolean;
  access?: AccessVia;
  /** Whether a credential was presented at all (for the wording of a 401). */
  presentedToken?: boolean;
  /** The access-key use this request holds; committed on success, released otherwise. */
  ticket?: AccessKeyTicket;
  model?: string;
  /** The Gemini (or xAI) key used, masked for the log and by id for usage. */
  key?: string;
  keyId?: string;
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
