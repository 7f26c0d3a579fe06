/**
 * OpenAI sampling / output fields → Gemini `generationConfig` (wire-format §1.4.6, §4.1, §4.4, §4.8).
 * Only keys with values are emitted, and `undefined` comes back when nothing is set, so the upstream
 * body (and the golden tests) never carry empty objects or undefined keys.
 */
import { ApiError } from '../../errors';
import type { ChatCompletionRequest } from '../../openai/chat-request';
import { toParametersJsonSchema } from './clean-schema';
import type { GeminiGenerationConfig } from './gemini-types';
import type { ModelCapabilities } from './model-capabilities';
import type { ThinkingRequest } from './resolve-model';
import { thinkingConfigFor } from './thinking-config';

export interface GenerationConfigInputs {
  caps: ModelCapabilities;
  suffix?: ThinkingRequest;
  /** `extra_body.google.thinking_config` (either casing), if any. */
  extraThinking?: Record<string, unknown>;
  includeThoughts: boolean;
  /** The model's `outputTokenLimit` when the upstream listed it. */
  outputTokenLimit?: number;
}

const MAX_STOP_SEQUENCES = 5;

/**
 * Gemini's integers are int32 and it refuses anything outside ("Invalid value at
 * 'generation_config.seed' (TYPE_INT32)"), while clients draw seeds from the whole safe-integer range
 * (a 64-bit random seed, say). The seed's low 32 bits keep it a seed: the same one still gives the
 * same answer.
 */
const INT32_MAX = 2 ** 31 - 1;
const toInt32 = (n: number): number => Number(BigInt.asIntN(32, BigInt(n)));

function candidateCount(n: number | undefined, caps: ModelCapabilities): number | undefined {
  if (n === undefined || n <= 1) return undefined; // 1 is Gemini's default: nothing to send
  if (!caps.multipleCandidates) {
    throw new ApiError(
      'unsupported_parameter',
      'This model returns a single choice: n > 1 is not supported (Gemini 3 and image models reject multiple candidates).',
      { param: 'n' },
    );
  }
  return n;
}

function responseFormat(format: ChatCompletionRequest['response_format']): GeminiGenerationConfig {
  switch (format?.type) {
    case 'json_object':
      return { responseMimeType: 'application/json' };
    case 'json_schema': {
      const { schema } = format.json_schema;
      // name / description / strict have no Gemini equivalent (§4.4).
      return schema === undefined
        ? { responseMimeType: 'application/json' }
        : { responseMimeType: 'application/json', responseJsonSchema: toParametersJsonSchema(schema) };
    }
    default:
      return {}; // "text" is Gemini's default
  }
}

const wantsImages = (req: ChatCompletionRequest, caps: ModelCapabilities): boolean =>
  caps.imageOutput || (req.modalities ?? []).some((m) => m.toLowerCase() === 'image');

/**
 * `image_config` (top level, OpenRouter's place, or Google's extras) → `imageConfig`; only sent when
 * images are asked for, since text models reject it. Gemini wants an upper-case size (`2K`). Imagen
 * in chat reads its aspect ratio from here too (chat/imagen-chat.ts).
 */
export function imageConfigOf(req: ChatCompletionRequest): GeminiGenerationConfig['imageConfig'] {
  const config = req.image_config ?? req.extra_body?.google?.image_config ?? req.google?.image_config;
  const aspectRatio = config?.aspect_ratio;
  const imageSize = config?.image_size?.toUpperCase();
  if (aspectRatio === undefined && imageSize === undefined) return undefined;
  return {
    ...(aspectRatio !== undefined ? { aspectRatio } : {}),
    ...(imageSize !== undefined ? { imageSize } : {}),
  };
}

/**
 * Thinking that `max_tokens` must make room for (§4.5): Gemini counts thinking inside
 * `maxOutputTokens`, so 300 tokens of "response length" (SillyTavern's default range) under a model
 * that thinks first ends in an empty answer with `finish_reason: "length"`. An explicit budget is
 * known; dynamic thinking (a budget of -1, or the model's default, and every Gemini 3 level) may use
 * up to the model's largest budget, so that much is added. The answer may then run longer than
 * `max_tokens` when the model thinks less: a longer answer, not an empty one.
 */
const LEVEL_THINKING_HEADROOM = 32_768;

function thinkingHeadroom(
  thinking: GeminiGenerationConfig['thinkingConfig'],
  caps: ModelCapabilities,
): number {
  const budget = thinking?.thinkingBudget;
  if (budget !== undefined && budget >= 0) return budget;
  switch (caps.thinking.kind) {
    case 'budget':
      return budget === -1 || caps.thinking.defaultOn ? caps.thinking.max : 0;
    case 'level':
      return LEVEL_THINKING_HEADROOM;
    default:
      return 0;
  }
}

/**
 * `max_tokens` is what chat clients set as the answer's length, so the thinking it leaves room for
 * is added on top, within the model's output limit when it is known. `max_completion_tokens`
 * includes reasoning in OpenAI's own terms and is sent as given.
 */
function maxOutputTokens(
  req: ChatCompletionRequest,
  thinking: GeminiGenerationConfig['thinkingConfig'],
  inputs: GenerationConfigInputs,
): number | undefined {
  if (req.max_completion_tokens !== undefined) return Math.min(req.max_completion_tokens, INT32_MAX);
  const answer = req.max_tokens;
  if (answer === undefined) return undefined;
  const headroom = thinkingHeadroom(thinking, inputs.caps);
  const total = answer + headroom;
  const limit = inputs.outputTokenLimit;
  const wanted = headroom === 0 || limit === undefined ? total : Math.max(answer, Math.min(total, limit));
  // Clients send 2^32-1 or more for "no limit"; Gemini refuses anything past int32.
  return Math.min(wanted, INT32_MAX);
}

/**
 * Drops undefined values so the object serialises exactly as compared in tests. A plain loop: the
 * entries/filter/fromEntries version allocated an array per field on every request.
 */
function definedOnly<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

export function toGenerationConfig(
  req: ChatCompletionRequest,
  inputs: GenerationConfigInputs,
): GeminiGenerationConfig | undefined {
  const { caps } = inputs;
  const stop = typeof req.stop === 'string' ? [req.stop] : req.stop;
  const thinkingConfig = thinkingConfigFor(
    caps,
    { extra: inputs.extraThinking, suffix: inputs.suffix, effort: req.reasoning_effort },
    inputs.includeThoughts,
  );
  const config = definedOnly<GeminiGenerationConfig>({
    temperature: req.temperature,
    topP: req.top_p,
    topK: req.top_k,
    candidateCount: candidateCount(req.n, caps),
    maxOutputTokens: maxOutputTokens(req, thinkingConfig, inputs),
    // Gemini refuses more than 5 ("the number of stop_sequences must not exceed 5", §1.4.6), and
    // SillyTavern's group chats or Continue's autocomplete send more: the first five are kept.
    stopSequences: stop !== undefined && stop.length > 0 ? stop.slice(0, MAX_STOP_SEQUENCES) : undefined,
    // Dropped where the model would refuse the whole request for them (model-capabilities.ts).
    presencePenalty: caps.penalties ? req.presence_penalty : undefined,
    frequencyPenalty: caps.penalties ? req.frequency_penalty : undefined,
    seed: req.seed === undefined ? undefined : toInt32(req.seed),
    ...responseFormat(req.response_format),
    // `logprobs` / `top_logprobs` are not sent: 2.5 and later models refuse the request for them, and
    // answers carry `logprobs: null` either way.
    // Image models need TEXT alongside IMAGE: IMAGE alone is rejected by the 2.0 ones (§2.3).
    responseModalities: wantsImages(req, caps) ? ['TEXT', 'IMAGE'] : undefined,
    imageConfig: wantsImages(req, caps) ? imageConfigOf(req) : undefined,
    thinkingConfig,
  });
  return Object.keys(config).length === 0 ? undefined : config;
}
