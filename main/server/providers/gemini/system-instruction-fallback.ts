/**
 * Where the system prompt goes for models that refuse `systemInstruction` (wire-format §1.4.2, §4.2
 * step 8). Image models lose it, as real converters do: it is not a picture to draw. Gemma answers 400
 * "Developer instruction is not enabled", yet a character card or a system prompt is most of what a
 * SillyTavern chat on Gemma is: it goes to the start of the first user turn instead, as a system-only
 * chat already does (§4.2 step 6). Pure.
 */
import type { GeminiContent, GeminiGenerateContentRequest } from './gemini-types';
import type { ModelCapabilities } from './model-capabilities';

export function placeSystemInstruction(
  body: GeminiGenerateContentRequest,
  caps: Pick<ModelCapabilities, 'systemInstruction' | 'imageOutput'>,
): GeminiGenerateContentRequest {
  // Most requests: the body as it is, without a copy (this runs on every chat request).
  if (body.systemInstruction === undefined || caps.systemInstruction) return body;
  const { systemInstruction, ...rest } = body;
  if (caps.imageOutput) return rest;
  const system = systemInstruction.parts ?? [];
  const [first, ...others] = rest.contents;
  const contents: GeminiContent[] =
    first?.role === 'user'
      ? [{ ...first, parts: [...system, ...(first.parts ?? [])] }, ...others]
      : [{ role: 'user', parts: system }, ...rest.contents];
  return { ...rest, contents };
}
