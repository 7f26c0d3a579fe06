/**
 * Gemini 3 thought-signature enforcement (wire-format §1.5.5): in the current turn (the model
 * contents after the last user content holding real text), the first functionCall part of each
 * model step must carry a thoughtSignature. Any non-empty value passes, which includes the
 * documented escape hatch "skip_thought_signature_validator" — except a signature this fake made
 * for another model, anywhere in the history: Gemini answers "Corrupted thought signature." to those.
 */
import type { GeminiContent } from '../../../main/server/providers/gemini/gemini-types';

const isRealUserText = (content: GeminiContent): boolean =>
  (content.role ?? 'user') === 'user' &&
  (content.parts ?? []).some((p) => typeof p.text === 'string' && p.functionResponse === undefined);

export function missingSignatureProblem(contents: readonly GeminiContent[]): string | undefined {
  let turnStart = 0;
  contents.forEach((content, i) => {
    if (isRealUserText(content)) turnStart = i + 1;
  });
  for (let i = turnStart; i < contents.length; i++) {
    const content = contents[i];
    if (content?.role !== 'model') continue;
    const firstCall = (content.parts ?? []).find((p) => p.functionCall !== undefined);
    if (firstCall === undefined || (firstCall.thoughtSignature ?? '') !== '') continue;
    return (
      'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, ' +
      'and missing thought_signature may lead to degraded model performance. Additional data, function call ' +
      `\`default_api:${firstCall.functionCall?.name ?? ''}\` , position ${i + 1}. ` +
      'Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.'
    );
  }
  return undefined;
}

const SIGNATURE_PREFIX = 'fake-thought-signature-';

/** The signature the fake puts on its answers: it names the model that made it. */
export const signatureFor = (model: string, n: number): string =>
  Buffer.from(`${SIGNATURE_PREFIX}${model}#${n}`).toString('base64');

/** The model a signature of this fake was made by; undefined for anything else (test-made ones). */
const signingModel = (signature: string): string | undefined => {
  const text = Buffer.from(signature, 'base64').toString('utf8');
  return text.startsWith(SIGNATURE_PREFIX) ? text.slice(SIGNATURE_PREFIX.length).split('#')[0] : undefined;
};

export function foreignSignatureProblem(
  contents: readonly GeminiContent[],
  model: string,
): string | undefined {
  for (const content of contents) {
    for (const part of content.parts ?? []) {
      const by = part.thoughtSignature === undefined ? undefined : signingModel(part.thoughtSignature);
      if (by !== undefined && by !== model) return 'Corrupted thought signature.';
    }
  }
  return undefined;
}
