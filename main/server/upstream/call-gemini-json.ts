/**
 * One non-streamed JSON call to Gemini behind the failover loop — what chat, image generation and
 * embeddings all do: lease a key, POST the body, classify any failure, parse the answer, and let the
 * caller judge it (an empty answer, a wrong shape). The lease comes back so the caller can report
 * the tokens once it knows them.
 */
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { classifyHttpFailure, classifyNetworkFailure } from '../keys/failure-policy';
import { withFailover, type AttemptOutcome, type FailoverResult } from '../providers/gemini/failover';
import type { GeminiAction } from '../providers/gemini/gemini-client';
import type { RequestBody } from '../providers/gemini/serialize-request';
import { recordKey, type RequestState } from '../request-state';
import { retryBudgetOf } from './retry-budget';

export interface GeminiJsonRequest {
  model: string;
  action: GeminiAction;
  /** Serialised once by the caller. */
  body: RequestBody;
}

/** Turns the parsed answer into an outcome: ok, empty (retried within budget) or failed. */
export type JudgeAnswer<T> = (parsed: unknown) => AttemptOutcome<T>;

export const badAnswer = (message: string) => ({
  kind: 'transient' as const,
  keyReason: message,
  error: new ApiError('upstream_bad_response', message),
});

export async function callGeminiJson<T>(
  core: GatewayCore,
  request: GeminiJsonRequest,
  signal: AbortSignal,
  state: RequestState,
  judge: JudgeAnswer<T>,
): Promise<FailoverResult<T>> {
  const result = await withFailover(
    {
      pool: core.keys,
      model: request.model,
      budget: retryBudgetOf(core.settings.get()),
      signal,
      now: core.now,
    },
    async (lease): Promise<AttemptOutcome<T>> => {
      recordKey(state, lease);
      let status: number;
      let text: string;
      try {
        ({ statusCode: status, text } = await core.gemini.callBuffered({
          model: request.model,
          action: request.action,
          body: request.body,
          key: lease.key,
          signal,
        }));
      } catch (err) {
        return { kind: 'failed', failure: classifyNetworkFailure(err) };
      }
      if (status !== 200) return { kind: 'failed', failure: classifyHttpFailure(status, text) };
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return {
          kind: 'failed',
          failure: badAnswer(`Gemini answered HTTP ${status} with a body that is not JSON.`),
        };
      }
      return judge(parsed);
    },
  );
  state.attempts = (state.attempts ?? 0) + result.attempts;
  return result;
}
