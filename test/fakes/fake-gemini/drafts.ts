/**
 * Drafts are the parts of each stream chunk before usage and ids are added. `toResponses` turns them
 * into GenerateContentResponse objects with cumulative usageMetadata (§1.5.3: total = prompt +
 * candidates + thoughts); `mergeDrafts` folds them into the one object of a non-stream answer.
 */
import type {
  GeminiCandidate,
  GeminiGenerateContentRequest,
  GeminiGenerateContentResponse,
  GeminiPart,
  GeminiUsageMetadata,
} from '../../../main/server/providers/gemini/gemini-types';
import type { CatalogueModel } from './catalogue';
import { countPromptTokens, OUTPUT_IMAGE_TOKENS, textTokens } from './tokens';

export interface DraftCandidate {
  parts: GeminiPart[];
  /** Emit `content: {role: "model"}` even without parts (§1.5.1: parts can be missing). */
  bareContent?: boolean;
  finishReason?: string;
  finishMessage?: string;
  safetyRatings?: unknown[];
}

export interface Draft {
  candidates: DraftCandidate[];
  promptFeedback?: GeminiGenerateContentResponse['promptFeedback'];
  /** Thinking that happened without a visible summary still costs thoughtsTokenCount. */
  hiddenThoughtTokens?: number;
}

/** Non-stream answers: one object holding every part, adjacent text deltas joined. */
export function mergeDrafts(drafts: readonly Draft[]): Draft {
  const merged: Draft = { candidates: [], hiddenThoughtTokens: 0 };
  for (const draft of drafts) {
    merged.promptFeedback ??= draft.promptFeedback;
    merged.hiddenThoughtTokens = (merged.hiddenThoughtTokens ?? 0) + (draft.hiddenThoughtTokens ?? 0);
    draft.candidates.forEach((candidate, i) => {
      const target = (merged.candidates[i] ??= { parts: [] });
      for (const part of candidate.parts) {
        const previous = target.parts.at(-1);
        const joinable =
          previous !== undefined &&
          typeof previous.text === 'string' &&
          typeof part.text === 'string' &&
          Object.keys(part).every((k) => k === 'text' || k === 'thought') &&
          previous.thought === part.thought;
        if (joinable)
          target.parts[target.parts.length - 1] = { ...previous, text: `${previous.text}${part.text}` };
        else target.parts.push({ ...part });
      }
      target.bareContent ||= candidate.bareContent;
      target.finishReason = candidate.finishReason ?? target.finishReason;
      target.finishMessage = candidate.finishMessage ?? target.finishMessage;
      target.safetyRatings = candidate.safetyRatings ?? target.safetyRatings;
    });
  }
  return merged;
}

export function toResponses(
  drafts: readonly Draft[],
  ctx: { model: CatalogueModel; request: GeminiGenerateContentRequest; responseId: string },
): GeminiGenerateContentResponse[] {
  const prompt = countPromptTokens(ctx.request);
  let candidatesTokens = 0;
  let imageTokens = 0;
  let thoughtTokens = 0;
  return drafts.map((draft) => {
    thoughtTokens += draft.hiddenThoughtTokens ?? 0;
    const candidates: GeminiCandidate[] = draft.candidates.map((c, index) => {
      for (const part of c.parts) {
        if (part.inlineData) {
          imageTokens += OUTPUT_IMAGE_TOKENS;
          candidatesTokens += OUTPUT_IMAGE_TOKENS;
        } else if (part.thought) thoughtTokens += textTokens(part.text ?? '');
        else if (part.text !== undefined) candidatesTokens += textTokens(part.text);
        else if (part.functionCall) candidatesTokens += textTokens(JSON.stringify(part.functionCall));
      }
      const hasContent = c.parts.length > 0 || c.bareContent === true;
      return {
        ...(hasContent
          ? { content: c.parts.length > 0 ? { parts: c.parts, role: 'model' } : { role: 'model' } }
          : {}),
        ...(c.finishReason === undefined ? {} : { finishReason: c.finishReason }),
        ...(c.finishMessage === undefined ? {} : { finishMessage: c.finishMessage }),
        index,
        ...(c.safetyRatings === undefined ? {} : { safetyRatings: c.safetyRatings }),
      };
    });
    const usageMetadata: GeminiUsageMetadata = {
      promptTokenCount: prompt.total,
      ...(candidatesTokens > 0 ? { candidatesTokenCount: candidatesTokens } : {}),
      totalTokenCount: prompt.total + candidatesTokens + thoughtTokens,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: prompt.text },
        ...(prompt.image > 0 ? [{ modality: 'IMAGE', tokenCount: prompt.image }] : []),
      ],
      ...(imageTokens > 0
        ? {
            candidatesTokensDetails: [
              { modality: 'IMAGE', tokenCount: imageTokens },
              { modality: 'TEXT', tokenCount: candidatesTokens - imageTokens },
            ],
          }
        : {}),
      ...(thoughtTokens > 0 ? { thoughtsTokenCount: thoughtTokens } : {}),
    };
    return {
      ...(candidates.length > 0 ? { candidates } : {}),
      ...(draft.promptFeedback ? { promptFeedback: draft.promptFeedback } : {}),
      usageMetadata,
      modelVersion: ctx.model.id,
      responseId: ctx.responseId,
    };
  });
}
