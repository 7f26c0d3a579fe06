/**
 * Images Gemini generated (inlineData parts) are decoded once, saved through the image library and
 * linked by URL in the reply (issue "Images" §2). An image the store cannot take is still returned,
 * inline as a data URL, with a warning in the log — never lost, never a 500.
 */
import type { GatewayCore } from '../core';
import { dataUrlOf, saveAndLink } from '../images/save-and-link';
import type { GeminiGenerateContentResponse, GeminiInlineData } from '../providers/gemini/gemini-types';

export interface ImageLinks {
  /** The URL a converter puts into the reply for this inlineData object. */
  readonly urlOf: (image: GeminiInlineData) => string;
  /** Saves the images of one Gemini response or stream chunk (call before converting it). */
  saveFrom(response: GeminiGenerateContentResponse): Promise<void>;
  /** Saves images that come outside a Gemini response (Imagen's predictions, chat/imagen-chat.ts). */
  saveAll(images: readonly GeminiInlineData[]): Promise<void>;
}

export interface ImageContext {
  /** Origin absolute links are built on (HOST_URL or the request's). */
  origin: string;
  model: string;
  prompt: string | undefined;
}

export function createImageLinks(core: GatewayCore, context: ImageContext): ImageLinks {
  const urls = new Map<GeminiInlineData, string>();
  const save = async (image: GeminiInlineData): Promise<void> => {
    const url = await saveAndLink(
      core,
      { bytes: Buffer.from(image.data, 'base64'), mimeType: image.mimeType },
      {
        source: 'chat',
        model: context.model,
        ...(context.prompt !== undefined ? { prompt: context.prompt } : {}),
      },
      context.origin,
    );
    if (url !== undefined) urls.set(image, url);
  };
  return {
    urlOf: (image) => urls.get(image) ?? dataUrlOf(image),
    async saveAll(images) {
      await Promise.all(images.filter((image) => !urls.has(image)).map(save));
    },
    async saveFrom(response) {
      const pending: Promise<void>[] = [];
      for (const candidate of response.candidates ?? []) {
        for (const part of candidate.content?.parts ?? []) {
          // Thought images are drafts the converters drop; only answers are kept.
          const image = part.inlineData;
          if (image && !part.thought && image.mimeType.startsWith('image/') && !urls.has(image))
            pending.push(save(image));
        }
      }
      if (pending.length > 0) await Promise.all(pending);
    },
  };
}
