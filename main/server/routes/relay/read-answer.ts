/**
 * An xAI answer the gateway reads whole to rewrite it (images/generations in OpenAI's shape, Grok
 * images through chat). The read is part of the call: a failure is classified like one that got no
 * answer (xai-errors.ts) — xAI cutting the body off is a 502, a client that went away is
 * client_closed — never an internal error. The answer is held in memory, so its size is capped.
 */
import { ApiError } from '../../errors';
import { xaiNetworkError } from '../../providers/xai/xai-errors';
import type { RelayedAnswer } from '../../providers/xai/xai-keys';
import { collectCapped } from './read-body';

/**
 * The most the gateway reads of one xAI images answer. xAI draws at most 10 images a request, each
 * a JPEG of well under 2 MB — about 27 MB as base64 in the worst case; 64 MiB leaves room for
 * larger images yet keeps a runaway (or hostile) upstream from filling the gateway's memory.
 */
export const MAX_XAI_IMAGES_ANSWER_BYTES = 64 * 1024 * 1024;

const tooLarge = (maxBytes: number): ApiError =>
  new ApiError(
    'upstream_bad_response',
    `xAI's answer is larger than the ${Math.round(maxBytes / (1024 * 1024))} MB the gateway reads for images; nothing was returned.`,
  );

/** The whole body (the copy already read when the key check had to), at most `maxBytes` long. */
export async function readXaiAnswer(
  answer: RelayedAnswer,
  signal: AbortSignal,
  maxBytes = MAX_XAI_IMAGES_ANSWER_BYTES,
): Promise<Buffer> {
  if (answer.buffered !== undefined) return answer.buffered;
  const body = answer.response.body;
  const declared = Number(answer.response.headers['content-length']);
  if (declared > maxBytes) {
    body.destroy(); // nobody reads it: drops the upstream connection instead of draining it
    throw tooLarge(maxBytes);
  }
  try {
    return await collectCapped(body, maxBytes, () => tooLarge(maxBytes));
  } catch (err) {
    throw err instanceof ApiError ? err : xaiNetworkError(err, signal);
  }
}
