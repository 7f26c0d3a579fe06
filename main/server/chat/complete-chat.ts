/** A non-streamed chat completion: one upstream generateContent behind the failover loop. */
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { classifyHttpFailure, classifyNetworkFailure } from '../keys/failure-policy';
import type { ChatCompletion } from '../openai/chat-response';
import { isEmptyAnswer, toChatCompletion } from '../providers/gemini/convert-response';
import { withFailover, type AttemptOutcome } from '../providers/gemini/failover';
import type { GeminiGenerateContentResponse } from '../providers/gemini/gemini-types';
import type { RequestState } from '../request-state';
import type { PreparedChat } from './prepare-chat';
import { createImageLinks } from './generated-images';
import { createResponseContext } from './response-context';
import { retryBudgetOf } from './retry-budget';

const unparseable = (status: number) => ({
  kind: 'transient' as const,
  keyReason: 'unparseable answer',
  error: new ApiError(
    'upstream_bad_response',
    `Gemini answered HTTP ${status} with a body that is not JSON.`,
  ),
});

export async function completeChat(
  core: GatewayCore,
  prepared: PreparedChat,
  signal: AbortSignal,
  state: RequestState,
): Promise<ChatCompletion> {
  const attempt = async (key: string): Promise<AttemptOutcome<GeminiGenerateContentResponse>> => {
    let status: number;
    let text: string;
    try {
      const res = await core.gemini.call({
        model: prepared.model.upstream,
        action: 'generateContent',
        key,
        body: prepared.body,
        signal,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      return { kind: 'failed', failure: classifyNetworkFailure(err) };
    }
    if (status !== 200) return { kind: 'failed', failure: classifyHttpFailure(status, text) };
    let parsed: GeminiGenerateContentResponse;
    try {
      parsed = JSON.parse(text) as GeminiGenerateContentResponse;
    } catch {
      return { kind: 'failed', failure: unparseable(status) };
    }
    return isEmptyAnswer(parsed) ? { kind: 'empty', value: parsed } : { kind: 'ok', value: parsed };
  };

  const result = await withFailover(
    { pool: core.keys, budget: retryBudgetOf(core.settings.get()), signal, now: core.now },
    (lease) => {
      state.key = lease.masked;
      state.keyId = lease.id;
      return attempt(lease.key);
    },
  );
  state.attempts = result.attempts;

  const images = createImageLinks(core, {
    origin: prepared.origin,
    model: prepared.model.requested,
    prompt: prepared.prompt,
  });
  await images.saveFrom(result.value);
  const ctx = createResponseContext(core, prepared.model.requested, images.urlOf);
  const completion = toChatCompletion(result.value, ctx);
  for (const choice of completion.choices) ctx.rememberToolCalls(choice.message.tool_calls);

  const usage = completion.usage;
  core.keys.reportSuccess(result.lease, {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
  });
  state.promptTokens = usage.prompt_tokens;
  state.completionTokens = usage.completion_tokens;
  state.reasoningTokens = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  return completion;
}
