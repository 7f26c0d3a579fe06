/**
 * OpenAI embeddings ⇄ Gemini `batchEmbedContents` (wire-format §1.8, §3.8, §4.10). Pure.
 *
 * - Inputs go in batches of at most 100 (Google's limit per call), in order; each entry names the
 *   model (required by the batch form) and carries `outputDimensionality` when `dimensions` was set.
 * - Vectors come back in input order, as JSON floats or, for `encoding_format: "base64"`, as the
 *   base64 of little-endian float32 values (what the openai SDK decodes by default).
 * - Vectors shortened by `dimensions` are scaled back to unit length, as OpenAI's are (`unitLength`).
 * - Gemini reports no token usage for embeddings, yet typed clients need `usage`: it is estimated,
 *   see `estimateTokens`.
 */
import type { EmbeddingsRequest } from './embed-request';

export const MAX_BATCH_SIZE = 100;

export interface GeminiEmbedRequest {
  model: string;
  content: { parts: { text: string }[] };
  outputDimensionality?: number;
}

export interface GeminiBatchEmbedRequest {
  requests: GeminiEmbedRequest[];
}

export interface GeminiBatchEmbedResponse {
  embeddings?: { values?: number[] }[];
}

export interface OpenAIEmbedding {
  object: 'embedding';
  index: number;
  embedding: number[] | string;
}

export interface OpenAIEmbeddingsResponse {
  object: 'list';
  data: OpenAIEmbedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** The upstream bodies, one per batch of ≤ 100 inputs, in input order. */
export function toBatchEmbedRequests(request: EmbeddingsRequest): GeminiBatchEmbedRequest[] {
  const model = `models/${request.upstreamModel}`;
  const batches: GeminiBatchEmbedRequest[] = [];
  for (let start = 0; start < request.inputs.length; start += MAX_BATCH_SIZE) {
    batches.push({
      requests: request.inputs.slice(start, start + MAX_BATCH_SIZE).map((text) => ({
        model,
        content: { parts: [{ text }] },
        ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
      })),
    });
  }
  return batches;
}

/**
 * The vectors of one batch answer, or undefined when it does not hold exactly `expected` numeric
 * vectors (an answer we cannot map back to the inputs, treated as a bad upstream answer).
 */
export function vectorsOf(response: unknown, expected: number): number[][] | undefined {
  const embeddings = (response as GeminiBatchEmbedResponse | null)?.embeddings;
  if (!Array.isArray(embeddings) || embeddings.length !== expected) return undefined;
  const vectors: number[][] = [];
  for (const entry of embeddings) {
    const values = entry?.values;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) return undefined;
    vectors.push(values);
  }
  return vectors;
}

/** Little-endian float32, base64: OpenAI's `encoding_format: "base64"`. */
export function float32Base64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}

/**
 * A token estimate, since Gemini returns none for embeddings: about four characters per token for
 * Latin-script text, one token per character for CJK and other wide scripts (their tokenisers rarely
 * merge such characters), at least one token per non-empty input. Good enough for budgets and logs;
 * not a bill.
 */
export function estimateTokens(text: string): number {
  let narrow = 0;
  let wide = 0;
  for (const char of text) {
    if ((char.codePointAt(0) ?? 0) >= 0x2e80) wide++;
    else narrow++;
  }
  return Math.max(text === '' ? 0 : 1, wide + Math.ceil(narrow / 4));
}

/**
 * Scaled to length 1. OpenAI's embeddings are unit vectors at every size, and stores that rank by dot
 * product or L2 distance rely on it. Gemini normalises only the model's full size: a shortened vector
 * (`dimensions`, which LobeChat always sends) comes back at its own length, per Google's own guide.
 */
export function unitLength(values: readonly number[]): number[] {
  const norm = Math.hypot(...values);
  return norm > 0 && Number.isFinite(norm) ? values.map((v) => v / norm) : [...values];
}

export function toOpenAIEmbeddings(
  request: EmbeddingsRequest,
  vectors: readonly (readonly number[])[],
): OpenAIEmbeddingsResponse {
  const promptTokens = request.inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  const shaped = (values: readonly number[]) =>
    request.dimensions === undefined ? [...values] : unitLength(values);
  return {
    object: 'list',
    data: vectors.map((values, index) => ({
      object: 'embedding',
      index,
      embedding: request.encoding === 'base64' ? float32Base64(shaped(values)) : shaped(values),
    })),
    model: request.requestedModel,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
