/**
 * Relaying one Gemini-native request through the key pool (issue part 2): the client's body and
 * query go upstream unchanged with a pooled key, behind the same failover loop as chat. Key problems
 * and transient failures move to another key; an error that is the request's own fault (400, 404, …)
 * is Google's answer to the client and is relayed with its status and body, as is Google's last
 * refusal once the retries are used up. Only the gateway's own verdicts (no usable key, client gone)
 * are rendered by the error handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { retryBudgetOf } from '../../upstream/retry-budget';
import type { GatewayCore } from '../../core';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  type ClassifiedFailure,
} from '../../keys/failure-policy';
import type { KeyLease } from '../../keys/key-pool';
import { redactSecrets } from '../../logging/redact';
import { withFailover, type AttemptOutcome, type FailoverResult } from '../../providers/gemini/failover';
import type { GeminiForward } from '../../providers/gemini/gemini-client';
import type { GeminiUsageMetadata } from '../../providers/gemini/gemini-types';
import { mapUsage } from '../../providers/gemini/map-usage';
import { recordKey, type RequestState } from '../../request-state';

/** What goes upstream: a GeminiForward without the per-attempt key and signal. */
export type NativeCall = Omit<GeminiForward, 'key' | 'signal'>;

export interface UpstreamAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** An answer to relay; `failure` is set when it is an error that no other key would change. */
export interface RelayedAnswer {
  kind: 'answer';
  answer: UpstreamAnswer;
  failure?: ClassifiedFailure;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

export const contentTypeOf = (headers: IncomingHttpHeaders): string => {
  const value: unknown = headers['content-type'];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : JSON_TYPE;
};

/**
 * Turns a non-200 upstream answer into an attempt outcome, remembering it as Google's latest refusal
 * (relayed if it ends up final). Error bodies pass through redactSecrets: they are Google's words, but
 * a key quoted in one must not reach a client.
 */
export function refusedAttempt<T>(
  status: number,
  contentType: string,
  text: string,
  remember: (refusal: RelayedAnswer & { failure: ClassifiedFailure }) => void,
): AttemptOutcome<T | RelayedAnswer> {
  const failure = classifyHttpFailure(status, text);
  const answer: UpstreamAnswer = { status, contentType, body: Buffer.from(redactSecrets(text), 'utf8') };
  // The request's own fault: another key would get the same answer, which is the client's.
  if (failure.kind === 'fatal') return { kind: 'ok', value: { kind: 'answer', answer, failure } };
  remember({ kind: 'answer', answer, failure });
  return { kind: 'failed', failure };
}

/**
 * Runs the failover loop for one native request. Resolves with the attempt's value, or with Google's
 * last refusal when the loop gave up on one (a 429 or 5xx with its own status, body and details).
 */
export async function relayWithFailover<T>(
  core: GatewayCore,
  state: RequestState,
  signal: AbortSignal,
  attempt: (
    key: string,
    remember: (refusal: RelayedAnswer & { failure: ClassifiedFailure }) => void,
  ) => Promise<AttemptOutcome<T | RelayedAnswer>>,
): Promise<{ value: T | RelayedAnswer; lease?: KeyLease }> {
  let refusal: (RelayedAnswer & { failure: ClassifiedFailure }) | undefined;
  let attempts = 0;
  let result: FailoverResult<T | RelayedAnswer>;
  try {
    result = await withFailover(
      {
        pool: core.keys,
        // The native routes put the model from the path here (nativeModelId: no `models/` prefix).
        model: state.model,
        budget: retryBudgetOf(core.settings.get()),
        signal,
        now: core.now,
      },
      (lease) => {
        recordKey(state, lease);
        attempts++;
        return attempt(lease.key, (r) => (refusal = r));
      },
    );
  } catch (err) {
    state.attempts = attempts;
    if (refusal && err === refusal.failure.error) return { value: refusal };
    throw err;
  }
  state.attempts = result.attempts;
  return { value: result.value, lease: result.lease };
}

/** Log fields and pool counters from a usageMetadata (same arithmetic as chat, wire-format §4.6.2). */
export function recordUsage(
  state: RequestState,
  usage: GeminiUsageMetadata | undefined,
): { promptTokens: number; completionTokens: number } | undefined {
  if (!usage) return undefined;
  const mapped = mapUsage(usage);
  state.promptTokens = mapped.prompt_tokens;
  state.completionTokens = mapped.completion_tokens;
  state.reasoningTokens = mapped.completion_tokens_details?.reasoning_tokens ?? 0;
  return { promptTokens: mapped.prompt_tokens, completionTokens: mapped.completion_tokens };
}

const usageIn = (body: Buffer): GeminiUsageMetadata | undefined => {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { usageMetadata?: unknown };
    const usage = parsed?.usageMetadata;
    return typeof usage === 'object' && usage !== null ? usage : undefined;
  } catch {
    return undefined;
  }
};

export function sendAnswer(reply: FastifyReply, state: RequestState, relayed: RelayedAnswer): FastifyReply {
  const { answer, failure } = relayed;
  if (failure) {
    state.errorCode = failure.error.code;
    const retryAfter = failure.error.retryAfterSeconds;
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  }
  return reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
}

/** A non-streamed native call (generateContent, countTokens, embeddings, GET model), relayed whole. */
export async function relayUnary(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  call: NativeCall,
  signal: AbortSignal,
): Promise<FastifyReply> {
  const state = request.gemgate;
  const { value, lease } = await relayWithFailover<RelayedAnswer>(
    core,
    state,
    signal,
    async (key, remember) => {
      let status: number;
      let contentType: string;
      let body: Buffer;
      try {
        const res = await core.gemini.forward({ ...call, key, signal });
        status = res.statusCode;
        contentType = contentTypeOf(res.headers);
        body = Buffer.from(await res.body.arrayBuffer());
      } catch (err) {
        return { kind: 'failed', failure: classifyNetworkFailure(err) };
      }
      if (status !== 200) return refusedAttempt(status, contentType, body.toString('utf8'), remember);
      return { kind: 'ok', value: { kind: 'answer', answer: { status, contentType, body } } };
    },
  );
  if (lease && !value.failure) {
    // countTokens and embeddings report no usage; generateContent does.
    core.keys.reportSuccess(lease, recordUsage(state, usageIn(value.answer.body)));
  }
  return sendAnswer(reply, state, value);
}
