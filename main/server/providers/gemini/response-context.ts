import type { GeminiInlineData } from './gemini-types';

/**
 * What the Gemini → OpenAI response converters need from the caller. Everything non-deterministic
 * (ids, clock) or environment-dependent (where images live) is injected, so the converters stay pure.
 */
export interface ResponseContext {
  /** `chatcmpl-…`, made by the caller; the same on every chunk of a stream. */
  id: string;
  /** Unix seconds, from the caller's clock. */
  created: number;
  /** The model id the client asked for, echoed back. */
  model: string;
  /** Used when Gemini's functionCall has no id (the Gemini API normally sends none). */
  newToolCallId: () => string;
  /**
   * How an inlineData image is linked (the caller's default: a data: URL). Each image goes to
   * `images` and, as markdown `![image](<url>)`, into the content, in order with the text.
   */
  imageUrl: (image: GeminiInlineData) => string;
}

/** The part of the context that converting parts needs. */
export type PartContext = Pick<ResponseContext, 'newToolCallId' | 'imageUrl'>;
