/**
 * Thought signatures replayed from history (wire-format §1.5.5). Pure.
 *
 * - In the current turn (model turns after the last user text) Gemini 3 wants the first functionCall
 *   of each model step signed; history Gemini did not sign gets Google's skip marker instead.
 * - A signature Gemini did make can still be refused: one made by another model (a chat switched from
 *   2.5 Pro to Gemini 3 halfway through a tool conversation) answers 400 "Invalid thought signature"
 *   or "Corrupted thought signature". The remedy is the same request without the replayed
 *   signatures, the skip marker standing in where Gemini 3 needs one.
 */
import type { ApiError } from '../../errors';
import type { GeminiContent, GeminiGenerateContentRequest } from './gemini-types';

/** Google's documented escape hatch for function calls Gemini did not sign (§1.5.5). */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** Signs the first functionCall of each current-turn model step that has no signature. Mutates. */
export function markUnsignedCurrentCalls(contents: readonly GeminiContent[]): void {
  const lastUserText = contents.findLastIndex(
    (content) => content.role === 'user' && (content.parts ?? []).some((part) => part.text !== undefined),
  );
  for (const content of contents.slice(lastUserText + 1)) {
    if (content.role !== 'model') continue;
    const firstCall = content.parts?.find((part) => part.functionCall !== undefined);
    if (firstCall && firstCall.thoughtSignature === undefined)
      firstCall.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
}

/** Whether any part replays a signature Gemini made (the skip marker is not one). */
export const replaysSignatures = (contents: readonly GeminiContent[]): boolean =>
  contents.some((content) =>
    (content.parts ?? []).some(
      (part) => part.thoughtSignature !== undefined && part.thoughtSignature !== SKIP_THOUGHT_SIGNATURE,
    ),
  );

/** The request with every replayed signature removed; the skip marker where `enforced` needs one. */
export function withoutReplayedSignatures(
  request: GeminiGenerateContentRequest,
  enforced: boolean,
): GeminiGenerateContentRequest {
  const contents = request.contents.map((content) => ({
    ...content,
    parts: (content.parts ?? []).map(({ thoughtSignature: _dropped, ...part }) => part),
  }));
  if (enforced) markUnsignedCurrentCalls(contents);
  return { ...request, contents };
}

/** Gemini's 400 for a replayed signature it will not take (§1.5.5), as the failure policy words it. */
export const isSignatureRejection = (error: ApiError): boolean =>
  error.code === 'upstream_invalid_request' && /(invalid|corrupted) thought.?signature/i.test(error.message);
