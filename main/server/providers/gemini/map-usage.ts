import type { ChatCompletionUsage } from '../../openai/chat-response';
import type { GeminiModalityTokenCount, GeminiUsageMetadata } from './gemini-types';

/**
 * Gemini `usageMetadata` → OpenAI `usage` (wire-format §4.6.2).
 *
 * Tool-use prompt tokens (server-side tool results fed back to the model) count as prompt, thoughts as
 * completion; the total is recomputed from the two so it always adds up, even when Gemini omits
 * `totalTokenCount` (or any other count: absent means zero).
 */
export function mapUsage(u: GeminiUsageMetadata | undefined): ChatCompletionUsage {
  const promptTokens = (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0);
  const reasoningTokens = u?.thoughtsTokenCount ?? 0;
  const completionTokens = (u?.candidatesTokenCount ?? 0) + reasoningTokens;

  const promptDetails: NonNullable<ChatCompletionUsage['prompt_tokens_details']> = {
    cached_tokens: u?.cachedContentTokenCount ?? sumTokens(u?.cacheTokensDetails),
  };
  const promptAudio = modalityTokens(u?.promptTokensDetails, 'AUDIO');
  if (promptAudio !== undefined) promptDetails.audio_tokens = promptAudio;

  const completionDetails: NonNullable<ChatCompletionUsage['completion_tokens_details']> = {
    reasoning_tokens: reasoningTokens,
  };
  const completionAudio = modalityTokens(u?.candidatesTokensDetails, 'AUDIO');
  if (completionAudio !== undefined) completionDetails.audio_tokens = completionAudio;

  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: completionDetails,
  };
}

function sumTokens(details: readonly GeminiModalityTokenCount[] | undefined): number {
  let sum = 0;
  if (details) for (const d of details) sum += d.tokenCount ?? 0;
  return sum;
}

/** Tokens of one modality, or undefined when Gemini did not break that modality out. */
function modalityTokens(
  details: readonly GeminiModalityTokenCount[] | undefined,
  modality: string,
): number | undefined {
  if (!details) return undefined;
  for (const d of details) if (d.modality === modality) return d.tokenCount ?? 0;
  return undefined;
}
