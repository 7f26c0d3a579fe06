/**
 * The inbound OpenAI image requests (wire-format §3.9) → one `ImageJob`, validated: the same rules
 * for the JSON body of /v1/images/generations and the form fields of /v1/images/edits. Fields
 * Gemini has no use for (`quality`, `style`, `user`, `background`, `output_format`, …) are accepted
 * and dropped, so OpenAI clients that always send them keep working. Pure.
 */
import { z } from 'zod';
import { opt } from '../openai/optional-field';
import { ApiError } from '../errors';
import { parseBody } from '../openai/parse-request';
import { capabilitiesOf } from '../providers/gemini/model-capabilities';
import { resolveModel } from '../providers/gemini/resolve-model';
import type { InputImageType } from './image-bytes';
import {
  imageSizeOf,
  isOpenAiImageModel,
  responseFormatOf,
  takesImageSize,
  type ImageSize,
} from './openai-image-compat';
import { aspectRatioOfSize, nearestImagenRatio } from './size-to-aspect';

export const DEFAULT_IMAGE_MODEL = 'gemini-2.5-flash-image';
/** One Gemini call per image: more than this in one request is a batch job, not a request. */
export const MAX_IMAGES_PER_REQUEST = 10;
/** Imagen's `sampleCount` range (wire-format §1.9). */
export const MAX_IMAGEN_IMAGES = 4;

/** Gemini image models go through generateContent; Imagen through `:predict`. */
export type ImageBackend = 'gemini' | 'imagen';

export interface InputImage {
  mimeType: InputImageType;
  /** Base64, as Gemini takes it. */
  data: string;
}

export interface ImageJob {
  /** What the client sent (echoed in the log and recorded in the gallery). */
  model: string;
  /** The id in the upstream URL. */
  upstream: string;
  backend: ImageBackend;
  prompt: string;
  n: number;
  /** Omitted: the model chooses. Already mapped to what the backend accepts. */
  aspectRatio?: string;
  /** Gemini 3 image models only: 1K (their default), 2K or 4K. */
  imageSize?: ImageSize;
  responseFormat: 'url' | 'b64_json';
  /** Edits: the images to change, in upload order. */
  images: InputImage[];
  mask?: InputImage;
}

/** Form fields are strings: `"true"` is read as true. */
const flagOf = (value: unknown): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** Form fields are strings: `"2"` is read as 2 (a JSON body may do the same). */
const countOf = (value: unknown): unknown =>
  typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : value;

export const imageRequestSchema = z.object({
  prompt: z
    .string({ error: (issue) => (issue.input === undefined ? 'prompt is required' : undefined) })
    .refine((p) => p.trim() !== '', 'prompt must not be empty'),
  model: opt(z.string().min(1)),
  n: opt(z.preprocess(countOf, z.number().int().min(1).max(MAX_IMAGES_PER_REQUEST))),
  size: opt(z.string()),
  /** Gemini's own resolution for Gemini 3 image models (openai-image-compat.ts). */
  image_size: opt(z.string().regex(/^\s*[124]k\s*$/i, 'image_size must be 1K, 2K or 4K')),
  response_format: opt(z.enum(['url', 'b64_json'])),
  stream: opt(z.preprocess(flagOf, z.boolean())),
  // Not used by Gemini, read only to tell what the request was written for (openai-image-compat.ts).
  quality: opt(z.unknown()),
  output_format: opt(z.unknown()),
  output_compression: opt(z.unknown()),
  background: opt(z.unknown()),
  moderation: opt(z.unknown()),
  partial_images: opt(z.unknown()),
  input_fidelity: opt(z.unknown()),
});
export type ImageRequest = z.infer<typeof imageRequestSchema>;

interface ImageModel {
  model: string;
  upstream: string;
  backend: ImageBackend;
}

/** Only models that draw: a text model would answer in words, which no image endpoint can return. */
export function imageModelOf(requested: string): ImageModel {
  // dall-e-3, gpt-image-1 …: the default Gemini image model draws (openai-image-compat.ts).
  if (isOpenAiImageModel(requested)) {
    return { model: requested, upstream: DEFAULT_IMAGE_MODEL, backend: 'gemini' };
  }
  const { upstream } = resolveModel(requested);
  if (/^imagen/i.test(upstream)) return { model: requested, upstream, backend: 'imagen' };
  // Other OpenAI names (gpt-4o and the like) are not Gemini's to draw either.
  const openAiModel = /^(gpt-|dall-e)/i.test(upstream);
  if (!openAiModel && capabilitiesOf(upstream).imageOutput)
    return { model: requested, upstream, backend: 'gemini' };
  throw new ApiError(
    'invalid_request',
    `The model "${requested}" does not generate images. Use a Gemini image model such as ` +
      `${DEFAULT_IMAGE_MODEL} or gemini-3-pro-image-preview, or an imagen-* model.`,
    { param: 'model' },
  );
}

export interface EditInputs {
  images: InputImage[];
  mask?: InputImage;
}

/** A validated request → the job; `edit` carries the uploaded images of /v1/images/edits. */
export function toImageJob(request: ImageRequest, edit?: EditInputs): ImageJob {
  if (request.stream === true) {
    // The SDK would wait for SSE events that never come, while the images were drawn and billed.
    throw new ApiError(
      'invalid_request',
      'Streaming image generation is not supported: leave stream out (or false); the images come back in one answer.',
      { param: 'stream' },
    );
  }
  const { model, upstream, backend } = imageModelOf(request.model ?? DEFAULT_IMAGE_MODEL);
  const n = request.n ?? 1;
  const size = aspectRatioOfSize(request.size);
  if (!size.ok) throw new ApiError('invalid_request', size.message, { param: 'size' });
  if (backend === 'imagen') {
    if (edit) {
      throw new ApiError(
        'invalid_request',
        `Imagen models cannot edit images on the Gemini API: use a Gemini image model such as ${DEFAULT_IMAGE_MODEL}.`,
        { param: 'model' },
      );
    }
    if (n > MAX_IMAGEN_IMAGES) {
      throw new ApiError('invalid_request', `Imagen draws at most ${MAX_IMAGEN_IMAGES} images per request.`, {
        param: 'n',
      });
    }
  }
  const aspectRatio =
    size.aspectRatio !== undefined && backend === 'imagen'
      ? nearestImagenRatio(size.aspectRatio)
      : size.aspectRatio;
  const imageSize = takesImageSize(upstream) ? imageSizeOf(request.size, request.image_size) : undefined;
  return {
    model,
    upstream,
    backend,
    prompt: request.prompt,
    n,
    ...(aspectRatio !== undefined ? { aspectRatio } : {}),
    ...(imageSize !== undefined ? { imageSize } : {}),
    responseFormat: responseFormatOf(request),
    images: edit?.images ?? [],
    ...(edit?.mask ? { mask: edit.mask } : {}),
  };
}

/** POST /v1/images/generations: the JSON body → the job (400 in OpenAI's shape on bad input). */
export const parseGenerationRequest = (body: unknown): ImageJob =>
  toImageJob(parseBody(imageRequestSchema, body));

/** POST /v1/images/edits: the form's text fields and files → the job. */
export const parseEditRequest = (fields: Record<string, string>, edit: EditInputs): ImageJob =>
  toImageJob(parseBody(imageRequestSchema, fields), edit);
