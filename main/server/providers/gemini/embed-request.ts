/**
 * The inbound OpenAI embeddings request (wire-format §3.8, §4.10), validated and normalised: text
 * inputs as a list, the Gemini model id, the output length and encoding. Token-id inputs have no
 * Gemini equivalent (Google tokenises itself) and are refused rather than guessed at. Pure.
 */
import { z } from 'zod';
import { opt } from '../../openai/optional-field';
import { ApiError } from '../../errors';
import { parseBody } from '../../openai/parse-request';
import { stripModelsPrefix } from './model-catalog';
import { resolveModel } from './resolve-model';

/** OpenAI's own limit on inputs per request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const embeddingsSchema = z.object({
  model: z.string().min(1),
  input: z.unknown().optional(),
  dimensions: opt(z.number().int().positive().max(65_536)),
  encoding_format: opt(z.enum(['float', 'base64'])),
  user: opt(z.string()),
});

export interface EmbeddingsRequest {
  /** As the client sent it; echoed in the response. */
  requestedModel: string;
  /** The id in `/v1beta/models/{upstreamModel}:batchEmbedContents`. */
  upstreamModel: string;
  inputs: string[];
  dimensions?: number;
  encoding: 'float' | 'base64';
}

const bad = (message: string, param = 'input') => new ApiError('invalid_request', message, { param });

const isTokenArray = (value: unknown): boolean =>
  Array.isArray(value) && value.every((v) => typeof v === 'number');

/** `input` as a list of non-empty strings, or a 400 that says what is wrong with it. */
export function embeddingInputs(input: unknown): string[] {
  if (input === undefined || input === null)
    throw bad("'input' is required: a string or an array of strings.");
  if (typeof input === 'string') {
    if (input === '') throw bad("'input' must not be an empty string.");
    return [input];
  }
  if (!Array.isArray(input)) throw bad("'input' must be a string or an array of strings.");
  if (input.length === 0) throw bad("'input' must not be an empty array.");
  if (isTokenArray(input) || input.every(isTokenArray)) {
    throw new ApiError(
      'unsupported_parameter',
      "Token-id input is not supported by Gemini embedding models: send 'input' as text (a string or an array of strings).",
      { param: 'input' },
    );
  }
  if (input.length > MAX_EMBEDDING_INPUTS) {
    throw bad(`'input' has ${input.length} items; at most ${MAX_EMBEDDING_INPUTS} are allowed per request.`);
  }
  return input.map((item: unknown, i) => {
    if (typeof item !== 'string') throw bad(`'input[${i}]' must be a string.`, `input[${i}]`);
    if (item === '') throw bad(`'input[${i}]' must not be an empty string.`, `input[${i}]`);
    return item;
  });
}

/** Gemini embedding models all say so in their id (gemini-embedding-001, text-embedding-004, …). */
const isEmbeddingModel = (id: string): boolean => /embedding/i.test(id);

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  const parsed = parseBody(embeddingsSchema, body);
  resolveModel(parsed.model); // the id goes into the upstream URL: same safe-charset rule as chat
  const upstreamModel = stripModelsPrefix(parsed.model);
  if (!isEmbeddingModel(upstreamModel)) {
    throw bad(
      `'${parsed.model}' is not an embedding model; use a Gemini embedding model such as gemini-embedding-001 or text-embedding-004.`,
      'model',
    );
  }
  return {
    requestedModel: parsed.model,
    upstreamModel,
    inputs: embeddingInputs(parsed.input),
    ...(parsed.dimensions === undefined ? {} : { dimensions: parsed.dimensions }),
    encoding: parsed.encoding_format ?? 'float',
  };
}
