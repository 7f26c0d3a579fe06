/** A non-streamed chat completion: one upstream generateContent behind the failover loop. */
import type { GatewayCore } from '../core';
import type { ChatCompletion } from '../openai/chat-response';
import { isEmptyAnswer, toChatCompletion } from '../providers/gemini/convert-response';
import type { AttemptOutcome } from '../providers/gemini/failover';
import type { GeminiGenerateContentResponse } from '../providers/gemini/gemini-types';
import type { RequestState } from '../request-state';
import { callGeminiJson } from '../upstream/call-gemini-json';
import type { PreparedChat } from './prepare-chat';
import { createImageLinks } from './generated-images';
import { createResponseContext } from './response-context';
import { withSignatureFallback } from './signature-fallback';

export async function completeChat(
  core: GatewayCore,
  prepared: PreparedChat,
  signal: AbortSignal,
  state: RequestState,
): Promise<ChatCompletion> {
  const result = await withSignatureFallback(core, prepared, (body) =>
    callGeminiJson(
      core,
      { model: prepared.model.upstream, action: 'generateContent', body },
      signal,
      state,
      (parsed): AttemptOutcome<GeminiGenerateContentResponse> => {
        const response = parsed as GeminiGenerateContentResponse;
        return isEmptyAnswer(response) ? { kind: 'empty', value: response } : { kind: 'ok', value: response };
      },
    ),
  );

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
