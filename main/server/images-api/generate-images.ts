/**
 * Runs one image job against Gemini: a Gemini image model gets one generateContent per requested
 * image, in parallel; Imagen gets one `:predict` for all of them. Every call goes through the
 * failover loop with the settings' retry budget, exactly like chat.
 *
 * A job is all-or-something: images that came back are returned even if a sibling call failed
 * (that failure is logged); only when no image exists at all does the request fail — with the
 * upstream error, or with a 400 carrying Gemini's reason when it drew nothing (a filter, a refusal).
 */
import type { GatewayCore } from '../core';
import { ApiError, asApiError } from '../errors';
import type { GeminiAction } from '../providers/gemini/gemini-client';
import { isEmptyAnswer } from '../providers/gemini/convert-response';
import type { AttemptOutcome } from '../providers/gemini/failover';
import type { GeminiGenerateContentResponse } from '../providers/gemini/gemini-types';
import { mapUsage } from '../providers/gemini/map-usage';
import type { RequestState } from '../request-state';
import { callGeminiJson } from '../upstream/call-gemini-json';
import {
  geminiImageBody,
  imagenBody,
  readGeminiImages,
  readImagenImages,
  type DrawnImage,
  type ImagenPredictResponse,
  type ReadImages,
} from './image-upstream';
import type { ImageJob } from './parse-image-request';

/** OpenAI's image usage (wire-format §3.9). */
export interface ImagesUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  /** Required by the OpenAI types; LobeChat reads `image_tokens` without a check and threw without it. */
  input_tokens_details: { text_tokens: number; image_tokens: number };
}

export interface Generation {
  images: DrawnImage[];
  /** Only when Gemini reported usage (Imagen does not). */
  usage?: ImagesUsage;
}

interface CallResult {
  read: ReadImages;
  tokens?: { prompt: number; completion: number; promptImages: number };
}

/** The prompt's image tokens (an edit's input images), from Gemini's per-modality breakdown. */
const promptImageTokens = (response: GeminiGenerateContentResponse): number =>
  (response.usageMetadata?.promptTokensDetails ?? [])
    .filter((d) => d.modality === 'IMAGE')
    .reduce((sum, d) => sum + (d.tokenCount ?? 0), 0);

/** One upstream call; `report` credits the tokens to the key that answered. */
async function callGemini<T>(
  core: GatewayCore,
  request: { model: string; action: GeminiAction; body: string },
  signal: AbortSignal,
  state: RequestState,
  judge: (parsed: unknown) => AttemptOutcome<T>,
): Promise<{ value: T; report: (tokens?: { prompt: number; completion: number }) => void }> {
  const result = await callGeminiJson(core, request, signal, state, judge);
  return {
    value: result.value,
    report: (tokens) =>
      core.keys.reportSuccess(
        result.lease,
        tokens && { promptTokens: tokens.prompt, completionTokens: tokens.completion },
      ),
  };
}

async function drawWithGemini(
  core: GatewayCore,
  job: ImageJob,
  signal: AbortSignal,
  state: RequestState,
): Promise<CallResult> {
  const { value, report } = await callGemini(
    core,
    { model: job.upstream, action: 'generateContent', body: JSON.stringify(geminiImageBody(job)) },
    signal,
    state,
    (parsed) => {
      const response = parsed as GeminiGenerateContentResponse;
      return isEmptyAnswer(response) ? { kind: 'empty', value: response } : { kind: 'ok', value: response };
    },
  );
  const usage = value.usageMetadata && mapUsage(value.usageMetadata);
  const tokens = usage && {
    prompt: usage.prompt_tokens,
    completion: usage.completion_tokens,
    promptImages: Math.min(promptImageTokens(value), usage.prompt_tokens),
  };
  report(tokens);
  return { read: readGeminiImages(value), ...(tokens ? { tokens } : {}) };
}

async function drawWithImagen(
  core: GatewayCore,
  job: ImageJob,
  signal: AbortSignal,
  state: RequestState,
): Promise<CallResult> {
  const { value, report } = await callGemini(
    core,
    { model: job.upstream, action: 'predict', body: JSON.stringify(imagenBody(job)) },
    signal,
    state,
    (parsed) => ({ kind: 'ok', value: parsed as ImagenPredictResponse }),
  );
  report();
  return { read: readImagenImages(value) };
}

const noImageError = (refusals: readonly string[]): ApiError =>
  new ApiError(
    'upstream_invalid_request',
    `Gemini generated no image: ${[...new Set(refusals)].join(' | ')}. The request may have been ` +
      'rejected by its safety system; rephrase the prompt and try again.',
  );

function sumUsage(results: readonly CallResult[]): ImagesUsage | undefined {
  const counted = results.flatMap((r) => (r.tokens ? [r.tokens] : []));
  if (counted.length === 0) return undefined;
  const input = counted.reduce((sum, t) => sum + t.prompt, 0);
  const output = counted.reduce((sum, t) => sum + t.completion, 0);
  const images = counted.reduce((sum, t) => sum + t.promptImages, 0);
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    input_tokens_details: { text_tokens: input - images, image_tokens: images },
  };
}

export async function generateImages(
  core: GatewayCore,
  job: ImageJob,
  signal: AbortSignal,
  state: RequestState,
): Promise<Generation> {
  const calls =
    job.backend === 'imagen'
      ? [drawWithImagen(core, job, signal, state)]
      : Array.from({ length: job.n }, () => drawWithGemini(core, job, signal, state));
  const settled = await Promise.allSettled(calls);
  const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [asApiError(s.reason)] : []));
  const images = results.flatMap((r) => r.read.images);
  const usage = sumUsage(results);
  if (usage) {
    state.promptTokens = usage.input_tokens;
    state.completionTokens = usage.output_tokens;
  }
  if (images.length === 0) {
    const [failure] = failures;
    if (failure) throw failure;
    throw noImageError(results.flatMap((r) => (r.read.refusal ? [r.read.refusal] : [])));
  }
  if (failures.length > 0) {
    core.log.warn(
      `Images: ${failures.length} of ${calls.length} calls for ${job.model} failed (${failures[0]?.message ?? ''}); returning the ${images.length} image(s) that were generated.`,
    );
  }
  return { images, ...(usage ? { usage } : {}) };
}
