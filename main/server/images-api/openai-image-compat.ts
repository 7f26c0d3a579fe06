/**
 * What OpenAI image clients mean, where the request alone says it (wire-format §3.9, §4.10). Pure.
 *
 * - OpenAI's model names. NextChat sends only `dall-e-3` to the images API, Open WebUI defaults to
 *   `dall-e-2`, and SDK scripts name `gpt-image-1`: they draw with the default Gemini image model,
 *   as a client of an OpenAI-compatible gateway expects, instead of a 400.
 * - The answer's form. GPT image models always answer `b64_json` and do not take `response_format`
 *   (only dall-e does), so code written for them reads `data[].b64_json` and never asks: a request
 *   naming a gpt-image model or carrying one of their own fields gets `b64_json` unless it asks.
 * - Resolution. Gemini 3 image models draw at 1K, 2K or 4K (`imageConfig.imageSize`, §1.4.6); a
 *   `size` of that many pixels, or `image_size` itself, asks for it. Other models draw at their one size.
 */

/** OpenAI's image models, whose names a client may send to the images API. */
export const isOpenAiImageModel = (model: string): boolean => /^(dall-e-|gpt-image-)/i.test(model.trim());

/** Fields only GPT image models take; `quality` values of theirs (dall-e's are standard and hd). */
const GPT_IMAGE_FIELDS = [
  'output_format',
  'output_compression',
  'background',
  'moderation',
  'partial_images',
  'input_fidelity',
] as const;
const GPT_IMAGE_QUALITIES = new Set(['low', 'medium', 'high', 'auto']);

export interface ImageRequestShape {
  model?: string | undefined;
  response_format?: 'url' | 'b64_json' | undefined;
  quality?: unknown;
  [field: string]: unknown;
}

/** `url` or `b64_json`: what was asked, else what the OpenAI model the request was written for answers. */
export function responseFormatOf(request: ImageRequestShape): 'url' | 'b64_json' {
  if (request.response_format !== undefined) return request.response_format;
  const writtenForGptImage =
    /^gpt-image-/i.test(request.model?.trim() ?? '') ||
    GPT_IMAGE_FIELDS.some((field) => request[field] !== undefined) ||
    (typeof request.quality === 'string' && GPT_IMAGE_QUALITIES.has(request.quality.toLowerCase()));
  return writtenForGptImage ? 'b64_json' : 'url';
}

export type ImageSize = '1K' | '2K' | '4K';

/** Gemini 3 image models (and their nano-banana-pro alias) take `imageSize`; 2.5 Flash Image does not. */
export const takesImageSize = (upstream: string): boolean =>
  /^(gemini-([3-9]|\d\d)[^/]*image|nano-banana-pro)/i.test(upstream);

/**
 * The resolution asked for: `image_size` (1K, 2K, 4K, any case) as Gemini names it, else the larger
 * side of a `WIDTHxHEIGHT` size (from 3000 px 4K, from 1800 px 2K); undefined for the model's default.
 */
export function imageSizeOf(size: string | undefined, imageSize: string | undefined): ImageSize | undefined {
  const named = imageSize?.trim().toUpperCase();
  if (named === '1K' || named === '2K' || named === '4K') return named;
  const pixels = /^(\d{1,5})x(\d{1,5})$/.exec(size?.trim().toLowerCase() ?? '');
  if (!pixels) return undefined;
  const longest = Math.max(Number(pixels[1]), Number(pixels[2]));
  return longest >= 3000 ? '4K' : longest >= 1800 ? '2K' : undefined;
}
