/**
 * `:embedContent` and `:batchEmbedContents` (wire-format §1.8). Vectors are deterministic per text
 * and prefix-stable: a shorter `outputDimensionality` truncates the same vector, like the real API.
 */
import type { GeminiContent } from '../../../main/server/providers/gemini/gemini-types';
import type { CatalogueModel } from './catalogue';
import { invalidArgument } from './gemini-errors';
import { errorPlan, okPlan, type ResponsePlan } from './plan';

export interface EmbedRequestBody {
  model?: string;
  content?: GeminiContent;
  taskType?: string;
  title?: string;
  outputDimensionality?: number;
}

const MAX_BATCH = 100;

/** FNV-1a, then mulberry32: cheap, stable, and different for every text. */
export function embeddingVector(text: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) seed = Math.imul(seed ^ byte, 0x01000193) >>> 0;
  return Array.from({ length: dimensions }, () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.round((unit * 2 - 1) * 1e6) / 1e6;
  });
}

type Embedded = { values: number[] } | { problem: string };

function embedOne(request: EmbedRequestBody, model: CatalogueModel, path: string): Embedded {
  const field = (name: string, reason: string): { problem: string } => ({
    problem: `* ${path}.${name}: ${reason}\n`,
  });
  if (request.model !== undefined && request.model !== `models/${model.id}`) {
    return field(
      'model',
      `the model in the request (${request.model}) must match the model in the URL (models/${model.id}).`,
    );
  }
  const parts = request.content?.parts ?? [];
  if (request.content === undefined) return field('content', 'content is not specified');
  if (parts.length === 0) return field('content.parts', 'contents.parts must not be empty.');
  const text = parts.map((p) => p.text ?? '').join('\n');
  if (text === '')
    return field('content.parts[0].data', "required oneof field 'data' must have one initialized field");
  const full = model.caps.embeddingDimensions;
  const dimensions = request.outputDimensionality ?? full;
  if (dimensions < 1 || dimensions > full) {
    return field('output_dimensionality', `Output dimensionality must be between 1 and ${full}.`);
  }
  return { values: embeddingVector(text, full).slice(0, dimensions) };
}

export function embedContent(body: EmbedRequestBody, model: CatalogueModel): ResponsePlan {
  const result = embedOne(body, model, 'EmbedContentRequest');
  return 'problem' in result ? errorPlan(invalidArgument(result.problem)) : okPlan({ embedding: result });
}

export function batchEmbedContents(
  body: { requests?: EmbedRequestBody[] },
  model: CatalogueModel,
): ResponsePlan {
  const requests = body.requests ?? [];
  if (requests.length === 0) {
    return errorPlan(invalidArgument('* BatchEmbedContentsRequest.requests: requests is not specified\n'));
  }
  if (requests.length > MAX_BATCH) {
    return errorPlan(
      invalidArgument(
        `* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests can be in one batch\n`,
      ),
    );
  }
  const embeddings: { values: number[] }[] = [];
  for (const [i, request] of requests.entries()) {
    // The batch form requires the model on every entry (§1.8).
    const result = embedOne(
      { ...request, model: request.model ?? '' },
      model,
      `BatchEmbedContentsRequest.requests[${i}]`,
    );
    if ('problem' in result) return errorPlan(invalidArgument(result.problem));
    embeddings.push(result);
  }
  return okPlan({ embeddings });
}
