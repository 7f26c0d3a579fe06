/**
 * POST /v1/embeddings — OpenAI embeddings over Gemini embedding models (issue part 3). The inputs go
 * to `batchEmbedContents` in batches of ≤ 100, a few batches at a time, each behind its own failover
 * loop (like a chat request); the vectors come back in input order. One failed batch fails the
 * request and cancels the batches still running: a partial list of embeddings is of no use.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayCore } from '../../core';
import {
  estimateTokens,
  toBatchEmbedRequests,
  toOpenAIEmbeddings,
  vectorsOf,
  type GeminiBatchEmbedRequest,
} from '../../providers/gemini/convert-embeddings';
import { parseEmbeddingsRequest } from '../../providers/gemini/embed-request';
import type { AttemptOutcome } from '../../providers/gemini/failover';
import { badAnswer, callGeminiJson } from '../../upstream/call-gemini-json';
import { clientAbortSignal, type RequestState } from '../../request-state';

/** Batches in flight at once per request: fast for big inputs, gentle on the pool. */
export const EMBEDDING_BATCH_CONCURRENCY = 4;

async function embedBatch(
  core: GatewayCore,
  model: string,
  batch: GeminiBatchEmbedRequest,
  signal: AbortSignal,
  state: RequestState,
  keys: Set<string>,
): Promise<number[][]> {
  const expected = batch.requests.length;
  const result = await callGeminiJson(
    core,
    { model, action: 'batchEmbedContents', body: JSON.stringify(batch) },
    signal,
    state,
    (parsed): AttemptOutcome<number[][]> => {
      const vectors = vectorsOf(parsed, expected);
      return vectors
        ? { kind: 'ok', value: vectors }
        : {
            kind: 'failed',
            failure: badAnswer(`Gemini did not return the ${expected} embeddings asked for.`),
          };
    },
  );
  keys.add(result.lease.masked);
  const promptTokens = batch.requests.reduce(
    (sum, r) => sum + estimateTokens(r.content.parts[0]?.text ?? ''),
    0,
  );
  core.keys.reportSuccess(result.lease, { promptTokens, completionTokens: 0 });
  return result.value;
}

/** Runs `work` over `items` with at most `limit` in flight; results in item order; first failure wins. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function registerEmbeddings(app: FastifyInstance, core: GatewayCore): void {
  app.post('/v1/embeddings', async (request, reply) => {
    const state = request.gemgate;
    const clientSignal = clientAbortSignal(reply);
    const embeddings = parseEmbeddingsRequest(request.body);
    state.model = embeddings.requestedModel;

    // One failed batch cancels its siblings (and the client leaving cancels them all).
    const cancel = new AbortController();
    const signal = AbortSignal.any([clientSignal, cancel.signal]);
    const keys = new Set<string>();
    let vectors: number[][][];
    try {
      vectors = await mapLimited(toBatchEmbedRequests(embeddings), EMBEDDING_BATCH_CONCURRENCY, (batch) =>
        embedBatch(core, embeddings.upstreamModel, batch, signal, state, keys),
      );
    } catch (err) {
      cancel.abort();
      throw err;
    } finally {
      if (keys.size > 0) state.key = [...keys].join(', ');
    }
    const response = toOpenAIEmbeddings(embeddings, vectors.flat());
    state.promptTokens = response.usage.prompt_tokens;
    state.completionTokens = 0;
    return response;
  });
}
