/**
 * What a request learns on its way through the gateway, for its one log entry (DESIGN §4 step 8).
 * Attached to the fastify request so the onResponse hook and the stream writer can both log it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessKeyTicket } from './access/access-keys';
import type { ApiDialect } from './access/api-dialect';
import type { KeyLease } from './keys/key-pool';

/**
 * How the caller got in: `pending` = no credential yet, maybe an `auth` command (decided after parsing);
 * `own_xai_key` = on /xai, with the caller's own xAI key and no gateway credential — such a request
 * uses none of the owner's keys, so it counts in none of the owner's budgets or records (the gateway
 * per-minute limit, usage, the image store) that a stranger could otherwise fill.
 */
export type AccessVia = 'password' | 'access_key' | 'allow_list' | 'auth_command' | 'pending' | 'own_xai_key';

export interface RequestState {
  startedAt: number;
  logged: boolean;
  /** Set once the request was answered or abandoned (its end is handled exactly once). */
  finished?: boolean;
  /** The client IP as resolved under TRUST_PROXY (the socket peer by default). */
  ip?: string;
  /** The socket peer is a trusted proxy: its X-Forwarded-* headers may be believed. */
  proxyTrusted?: boolean;
  /**
   * Which API the request speaks ('other': none with access rules), decided once by access control
   * (api-dialect.ts) for the hooks after it; undefined until then.
   */
  dialect?: ApiDialect | 'other';
  access?: AccessVia;
  /** Whether a credential was presented at all (for the wording of a 401). */
  presentedToken?: boolean;
  /** A page on another site that its address alone would have let in (for the wording of a 401). */
  pageOrigin?: string;
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
  /** Cancels the upstream call when the client disconnects (see clientAbortSignal). */
  abort?: AbortController;
  /** The client closed the connection before the response was complete. */
  clientGone?: boolean;
}

/**
 * A fresh state with every field present from the start: one object shape for all requests, so the
 * many places that read it stay fast (fields added one by one, in whatever order a request happens
 * to take, would give V8 dozens of shapes to tell apart on every read).
 */
export const newRequestState = (startedAt: number): RequestState => ({
  startedAt,
  logged: false,
  finished: undefined,
  ip: undefined,
  proxyTrusted: undefined,
  dialect: undefined,
  access: undefined,
  presentedToken: undefined,
  pageOrigin: undefined,
  ticket: undefined,
  model: undefined,
  key: undefined,
  keyId: undefined,
  stream: undefined,
  attempts: undefined,
  promptTokens: undefined,
  completionTokens: undefined,
  reasoningTokens: undefined,
  errorCode: undefined,
  abort: undefined,
  clientGone: undefined,
});

declare module 'fastify' {
  interface FastifyRequest {
    gemgate: RequestState;
  }
}

export const stateOf = (request: FastifyRequest): RequestState => request.gemgate;

/** The Gemini key an attempt uses: masked for the log line, by id for usage per key. */
export const recordKey = (state: RequestState, lease: KeyLease): void => {
  state.key = lease.masked;
  state.keyId = lease.id;
};

/**
 * An AbortSignal that fires when the client goes away before the response is complete, so the
 * upstream call is cancelled at once instead of running (and costing quota) for nobody. The request
 * lifecycle's one 'close' listener fires it (request-lifecycle.ts): no second listener per request.
 */
export const clientAbortSignal = (reply: FastifyReply): AbortSignal => {
  const state = reply.request.gemgate;
  if (!state.abort) {
    state.abort = new AbortController();
    // Already gone (the lifecycle saw 'close' before the handler asked): cancel from the start.
    if (state.clientGone) state.abort.abort(new Error('client disconnected'));
  }
  return state.abort.signal;
};
