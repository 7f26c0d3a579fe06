/**
 * The Gemini side of the image endpoints (wire-format §1.9, §4.10), pure: the bodies sent for one
 * image job, and the images (or the reason there are none) read back from the answers.
 */
import { DEFAULT_SAFETY_SETTINGS } from '../providers/gemini/convert-request';
import type {
  GeminiGenerateContentRequest,
  GeminiGenerateContentResponse,
  GeminiPart,
} from '../providers/gemini/gemini-types';
import type { ImageJob, InputImage } from './parse-image-request';

/** What the model is told about the mask, which Gemini has no parameter for (OpenAI: alpha 0 = edit). */
export const MASK_INSTRUCTION = 'The last image is a mask: change only where it is transparent.';

const imagePart = (image: InputImage): GeminiPart => ({
  inlineData: { mimeType: image.mimeType, data: image.data },
});

/** `imageConfig` with what the job sets of it; nothing when it sets nothing. */
const imageConfigFields = (job: ImageJob): { imageConfig?: { aspectRatio?: string; imageSize?: string } } =>
  job.aspectRatio === undefined && job.imageSize === undefined
    ? {}
    : {
        imageConfig: {
          ...(job.aspectRatio !== undefined ? { aspectRatio: job.aspectRatio } : {}),
          ...(job.imageSize !== undefined ? { imageSize: job.imageSize } : {}),
        },
      };

/**
 * One generateContent body per requested image (candidateCount must stay 1 on image models). The
 * images to edit come before the prompt, in one user turn; TEXT stays beside IMAGE because the 2.0
 * image models reject IMAGE alone (§2.3).
 */
export function geminiImageBody(job: ImageJob): GeminiGenerateContentRequest {
  const parts: GeminiPart[] = job.images.map(imagePart);
  if (job.mask) parts.push(imagePart(job.mask), { text: MASK_INSTRUCTION });
  parts.push({ text: job.prompt });
  return {
    contents: [{ role: 'user', parts }],
    generationConfig: {
      responseModalities: ['TEXT', 'IMAGE'],
      ...imageConfigFields(job),
    },
    safetySettings: [...DEFAULT_SAFETY_SETTINGS],
  };
}

export interface ImagenPredictRequest {
  instances: { prompt: string }[];
  parameters: { sampleCount: number; aspectRatio?: string };
}

/** Imagen draws all `n` images in one `:predict` call (`sampleCount` ≤ 4, checked by the parser). */
export const imagenBody = (job: ImageJob): ImagenPredictRequest => ({
  instances: [{ prompt: job.prompt }],
  parameters: {
    sampleCount: job.n,
    ...(job.aspectRatio !== undefined ? { aspectRatio: job.aspectRatio } : {}),
  },
});

export interface DrawnImage {
  mimeType: string;
  /** Base64 as Gemini sent it. */
  data: string;
  /** The model's words beside the image (OpenAI's `revised_prompt`). */
  revisedPrompt?: string;
}

export interface ReadImages {
  images: DrawnImage[];
  /** Why there is no image, in Gemini's words (finish / block reason, the model's own text). */
  refusal?: string;
}

/** Finish reasons that mean "done normally"; anything else explains a missing image. */
const NORMAL_FINISH = new Set(['STOP', 'FINISH_REASON_UNSPECIFIED']);

/** Every non-thought image part of the answer; its text parts become the revised prompt. */
export function readGeminiImages(response: GeminiGenerateContentResponse): ReadImages {
  const images: DrawnImage[] = [];
  const texts: string[] = [];
  const reasons: string[] = [];
  const block = response.promptFeedback?.blockReason;
  if (block) reasons.push(`prompt blocked: ${block}`);
  for (const candidate of response.candidates ?? []) {
    const found: DrawnImage[] = [];
    for (const part of candidate.content?.parts ?? []) {
      if (part.thought === true) continue; // drafts the model shows itself, not answers
      if (part.inlineData?.mimeType.startsWith('image/'))
        found.push({ mimeType: part.inlineData.mimeType, data: part.inlineData.data });
      else if (part.text) texts.push(part.text);
    }
    images.push(...found);
    const finish = candidate.finishReason;
    if (finish && !NORMAL_FINISH.has(finish)) {
      reasons.push(
        `finish reason ${finish}${candidate.finishMessage ? ` (${candidate.finishMessage})` : ''}`,
      );
    }
  }
  const text = texts.join('').trim();
  if (images.length > 0) {
    return { images: text === '' ? images : images.map((image) => ({ ...image, revisedPrompt: text })) };
  }
  if (text !== '') reasons.push(`the model answered: "${excerpt(text)}"`);
  return { images, refusal: reasons.length > 0 ? reasons.join('; ') : 'no reason given' };
}

export interface ImagenPrediction {
  mimeType?: string;
  bytesBase64Encoded?: string;
  raiFilteredReason?: string;
}

export interface ImagenPredictResponse {
  predictions?: ImagenPrediction[];
}

/** Imagen drops filtered images silently (fewer predictions) or names why (`raiFilteredReason`). */
export function readImagenImages(response: ImagenPredictResponse): ReadImages {
  const images: DrawnImage[] = [];
  const reasons: string[] = [];
  for (const prediction of response.predictions ?? []) {
    if (prediction.bytesBase64Encoded)
      images.push({ mimeType: prediction.mimeType ?? 'image/png', data: prediction.bytesBase64Encoded });
    else if (prediction.raiFilteredReason) reasons.push(prediction.raiFilteredReason);
  }
  if (images.length > 0) return { images };
  return { images, refusal: reasons.length > 0 ? reasons.join('; ') : 'all images were filtered' };
}

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
