import type { ChatCompletion, ChatCompletionMessage, OutAnnotation } from '../../openai/chat-response';
import { collectParts, isVisiblePart } from './convert-parts';
import type { GeminiCandidate, GeminiGenerateContentResponse, GeminiGroundingMetadata } from './gemini-types';
import { mapFinishReason } from './map-finish-reason';
import { mapUsage } from './map-usage';
import type { ResponseContext } from './response-context';

/** Marks responses as Gemgate's; clients only display or log it. */
export const SYSTEM_FINGERPRINT = 'fp_gemgate';

type Choice = ChatCompletion['choices'][number];

/** A non-streaming Gemini response → `chat.completion` (wire-format §3.3, §4.6). */
export function toChatCompletion(resp: GeminiGenerateContentResponse, ctx: ResponseContext): ChatCompletion {
  const candidates = resp.candidates ?? [];
  const choices: Choice[] = [];
  for (let position = 0; position < candidates.length; position++) {
    choices.push(toChoice(candidates[position]!, position, ctx));
  }
  if (choices.length === 0) {
    // A blocked prompt is still HTTP 200 with one filtered choice (§4.6.1); an answer without any
    // candidate gets one empty choice too, because clients read `choices[0]` unconditionally.
    const blocked = resp.promptFeedback?.blockReason !== undefined;
    choices.push({
      index: 0,
      message: message(blocked ? '' : null),
      logprobs: null,
      finish_reason: blocked ? 'content_filter' : 'stop',
    });
  }
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices,
    usage: mapUsage(resp.usageMetadata),
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

function toChoice(candidate: GeminiCandidate, position: number, ctx: ResponseContext): Choice {
  const parts = collectParts(candidate.content?.parts, ctx);
  const hasToolCalls = parts.toolCalls.length > 0;
  // `null` is OpenAI's "no text" for tool-call turns and empty turns; a reasoning-only turn keeps ''.
  const content = parts.content !== '' ? parts.content : hasToolCalls || parts.reasoning === '' ? null : '';
  const msg = message(content, toAnnotations(candidate.groundingMetadata));
  if (parts.reasoning !== '') msg.reasoning_content = parts.reasoning;
  if (hasToolCalls) msg.tool_calls = parts.toolCalls;
  if (parts.images.length > 0) msg.images = parts.images;
  return {
    index: candidate.index ?? position,
    message: msg,
    logprobs: null,
    finish_reason: mapFinishReason(candidate.finishReason, hasToolCalls),
  };
}

function message(content: string | null, annotations: OutAnnotation[] = []): ChatCompletionMessage {
  return { role: 'assistant', content, refusal: null, annotations };
}

/**
 * Grounding (Google Search) → `url_citation` annotations: one per (support, cited chunk) pair, with the
 * support's segment indices as Gemini reports them. Chunks no support cites still are sources the
 * answer used, so when there are no supports at all each chunk becomes a citation of the whole answer
 * start (indices 0).
 */
function toAnnotations(grounding: GeminiGroundingMetadata | undefined): OutAnnotation[] {
  const chunks = grounding?.groundingChunks;
  if (!chunks || chunks.length === 0) return [];
  const out: OutAnnotation[] = [];
  const supports = grounding.groundingSupports;
  if (supports && supports.length > 0) {
    for (const support of supports) {
      const start = support.segment?.startIndex ?? 0;
      const end = support.segment?.endIndex ?? start;
      for (const chunkIndex of support.groundingChunkIndices ?? []) {
        const web = chunks[chunkIndex]?.web;
        if (web?.uri) out.push(citation(web.uri, web.title, start, end));
      }
    }
  } else {
    for (const chunk of chunks) if (chunk.web?.uri) out.push(citation(chunk.web.uri, chunk.web.title, 0, 0));
  }
  return out;
}

function citation(url: string, title: string | undefined, start: number, end: number): OutAnnotation {
  return {
    type: 'url_citation',
    url_citation: { url, title: title ?? url, start_index: start, end_index: end },
  };
}

/**
 * True when Gemini answered with nothing a user could see (no text, tool call, image or code in any
 * candidate; thoughts alone do not count) and nothing explains it: no prompt block, and no finish reason
 * that accounts for emptiness (a length cut or a filter). Such answers are worth retrying with another
 * key (GEMINI_EMPTY_RESPONSE_RETRIES).
 */
export function isEmptyAnswer(resp: GeminiGenerateContentResponse): boolean {
  if (resp.promptFeedback?.blockReason !== undefined) return false;
  for (const candidate of resp.candidates ?? []) {
    const finish = mapFinishReason(candidate.finishReason, false);
    if (finish === 'length' || finish === 'content_filter') return false;
    const parts = candidate.content?.parts;
    if (parts?.some(isVisiblePart)) return false;
  }
  return true;
}
