/**
 * Per-response context for the converters: ids, timestamps, how images are linked, and which
 * tool-call ids we invented (so only Gemini's own ids are remembered as Gemini ids).
 */
import type { GatewayCore } from '../core';
import { newCompletionId, newToolCallId } from '../ids';
import type { ChunkToolCall, OutToolCall } from '../openai/chat-response';
import type { GeminiInlineData } from '../providers/gemini/gemini-types';
import type { ResponseContext } from '../providers/gemini/response-context';

export interface TrackedContext extends ResponseContext {
  /** Records signatures / Gemini ids of tool calls we hand out, for the next turn. */
  rememberToolCalls(calls: readonly (OutToolCall | ChunkToolCall)[] | undefined): void;
}

export function createResponseContext(
  core: GatewayCore,
  model: string,
  imageUrl: (image: GeminiInlineData) => string,
): TrackedContext {
  const invented = new Set<string>();
  return {
    id: newCompletionId(),
    created: Math.floor(core.now() / 1000),
    model,
    newToolCallId: () => {
      const id = newToolCallId();
      invented.add(id);
      return id;
    },
    imageUrl,
    rememberToolCalls(calls) {
      for (const call of calls ?? []) {
        if (!call.id) continue;
        const signature = call.extra_content?.google.thought_signature;
        const geminiId = invented.has(call.id) ? undefined : call.id;
        core.toolCalls.remember(call.id, {
          ...(signature ? { signature } : {}),
          ...(geminiId ? { geminiId } : {}),
        });
      }
    },
  };
}
