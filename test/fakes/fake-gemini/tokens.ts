/**
 * Deterministic token arithmetic: about four characters per token, a flat 258 per image (the
 * figure Gemini charges for a small image). Only consistency matters: countTokens and
 * usageMetadata.promptTokenCount agree for the same contents.
 */
import type {
  GeminiContent,
  GeminiPart,
  GeminiTool,
} from '../../../main/server/providers/gemini/gemini-types';

export const IMAGE_TOKENS = 258;
export const OUTPUT_IMAGE_TOKENS = 1290;

export const textTokens = (text: string): number => Math.ceil([...text].length / 4);

function partTokens(part: GeminiPart): { text: number; image: number } {
  if (part.inlineData !== undefined || part.fileData !== undefined) return { text: 0, image: IMAGE_TOKENS };
  if (typeof part.text === 'string') return { text: textTokens(part.text), image: 0 };
  const structured =
    part.functionCall ?? part.functionResponse ?? part.executableCode ?? part.codeExecutionResult;
  return { text: structured === undefined ? 0 : textTokens(JSON.stringify(structured)), image: 0 };
}

export interface PromptTokens {
  total: number;
  text: number;
  image: number;
}

export function countPromptTokens(input: {
  contents?: readonly GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: readonly GeminiTool[];
}): PromptTokens {
  const contents = [...(input.contents ?? []), ...(input.systemInstruction ? [input.systemInstruction] : [])];
  let text = 0;
  let image = 0;
  for (const content of contents) {
    for (const part of content.parts ?? []) {
      const tokens = partTokens(part);
      text += tokens.text;
      image += tokens.image;
    }
  }
  for (const tool of input.tools ?? []) text += textTokens(JSON.stringify(tool));
  return { total: text + image, text, image };
}
