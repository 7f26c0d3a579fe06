/**
 * A streamed chat completion: Gemini SSE in, OpenAI SSE out, one chunk per upstream event as soon
 * as it arrives (DESIGN §4 steps 5–7). Until the first visible output the attempt can still fail
 * over to another key (nothing has reached the client); after it, a failure ends the stream with
 * an error event instead.
 */
import type { FastifyReply } from 'fastify';
import type { GatewayCore } from '../core';
import { ApiError, asApiError, toOpenAIError } from '../errors';
import { classifyHttpFailure, classifyNetworkFailure, type ClassifiedFailure } from '../keys/failure-policy';
import type { ChatCompletionChunk } from '../openai/chat-response';
import { isEmptyAnswer } from '../providers/gemini/convert-response';
import { withFailover, type AttemptOutcome } from '../providers/gemini/failover';
import type { GeminiErrorBody, GeminiGenerateContentResponse } from '../providers/gemini/gemini-types';
import type { RequestBody } from '../providers/gemini/serialize-request';
import { GeminiStreamTransformer } from '../providers/gemini/stream-transform';
import { recordKey, type RequestState } from '../request-state';
import { SseDecoder, type SseEvent } from '../sse/decode-sse';
import { SSE_DONE, sseData } from '../sse/encode-sse';
import { SseResponse } from '../sse/sse-response';
import type { PreparedChat } from './prepare-chat';
import { createImageLinks, type ImageLinks } from './generated-images';
import { createResponseContext, type TrackedContext } from './response-context';
import { withSignatureFallback } from './signature-fallback';
import { retryBudgetOf } from '../upstream/retry-budget';
import type { ChunkReader } from '../upstream/streamed-response';

interface OpenStream {
  body: ChunkReader;
  images: ImageLinks;
  destroy: () => void;
  decoder: SseDecoder;
  transformer: GeminiStreamTransformer;
  /** Chunks produced while deciding whether this attempt is good; not yet sent. */
  pending: ChatCompletionChunk[];
  ended: boolean;
}

const failedStream = (message: string): ClassifiedFailure => ({
  kind: 'transient',
  keyReason: message,
  error: new ApiError('upstream_bad_response', message),
});

/**
 * A mid-stream `{"error": …}` from Gemini — raw after the events (wire-format §1.6.3) or, from some
 * relays, inside a `data:` line — classified like an HTTP error with that code.
 */
const classifyStreamError = (body: GeminiErrorBody): ClassifiedFailure =>
  classifyHttpFailure(typeof body.error.code === 'number' ? body.error.code : 500, JSON.stringify(body));

type ParsedData = { chunk: GeminiGenerateContentResponse } | { error: GeminiErrorBody } | undefined;

const parseData = (data: string): ParsedData => {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  if ('error' in value && value.error && typeof value.error === 'object')
    return { error: value as GeminiErrorBody };
  return { chunk: value };
};

const isFinal = (chunk: GeminiGenerateContentResponse) =>
  Boolean(chunk.promptFeedback?.blockReason) || (chunk.candidates ?? []).some((c) => c.finishReason);

type EventResult = { failure: ClassifiedFailure } | undefined;

const carriesImage = (chunk: GeminiGenerateContentResponse) =>
  (chunk.candidates ?? []).some((c) => (c.content?.parts ?? []).some((p) => p.inlineData !== undefined));

/**
 * Feeds decoded events to the transformer; returns a failure for an upstream error event. Images in
 * a chunk are saved before the chunk is converted, so the reply links to them (their own delta, in
 * the order Gemini produced them).
 */
async function consumeEvents(
  stream: OpenStream,
  events: SseEvent[],
  onFinal?: (c: GeminiGenerateContentResponse) => void,
): Promise<EventResult> {
  for (const event of events) {
    if (event.type === 'error') return { failure: classifyStreamError(event.error) };
    if (event.data === '[DONE]') continue;
    const parsed = parseData(event.data);
    if (!parsed) continue;
    if ('error' in parsed) return { failure: classifyStreamError(parsed.error) };
    const chunk = parsed.chunk;
    if (onFinal && isFinal(chunk)) onFinal(chunk);
    if (carriesImage(chunk)) await stream.images.saveFrom(chunk);
    for (const out of stream.transformer.push(chunk)) stream.pending.push(out);
  }
  return undefined;
}

async function openAttempt(
  core: GatewayCore,
  prepared: PreparedChat,
  requestBody: RequestBody,
  ctx: TrackedContext,
  images: ImageLinks,
  key: string,
  signal: AbortSignal,
  onOpen: () => void,
): Promise<AttemptOutcome<OpenStream>> {
  let res;
  try {
    res = await core.gemini.callStreamed({
      model: prepared.model.upstream,
      action: 'streamGenerateContent',
      key,
      body: requestBody,
      signal,
      sse: true,
    });
  } catch (err) {
    return { kind: 'failed', failure: classifyNetworkFailure(err) };
  }
  if (res.statusCode !== 200) {
    const text = await res.body.text().catch(() => '');
    return { kind: 'failed', failure: classifyHttpFailure(res.statusCode, text) };
  }
  onOpen();
  const body = res.body;
  const stream: OpenStream = {
    body,
    images,
    destroy: () => body.destroy(),
    decoder: new SseDecoder(),
    transformer: new GeminiStreamTransformer({ ...ctx, includeUsage: prepared.includeUsage }),
    pending: [],
    ended: false,
  };
  let finalChunk: GeminiGenerateContentResponse | undefined;
  try {
    // Read until something visible exists: before that, a failure can still move to another key.
    while (!stream.transformer.hasVisibleOutput) {
      const step = await stream.body.next();
      const events = step.done ? stream.decoder.end() : stream.decoder.push(step.value);
      const result = await consumeEvents(stream, events, (c) => (finalChunk = c));
      if (result) {
        stream.destroy();
        return { kind: 'failed', failure: result.failure };
      }
      if (step.done) {
        stream.ended = true;
        break;
      }
    }
  } catch (err) {
    stream.destroy();
    return { kind: 'failed', failure: classifyNetworkFailure(err) };
  }
  if (stream.ended && !stream.transformer.hasVisibleOutput) {
    if (!finalChunk)
      return { kind: 'failed', failure: failedStream('Gemini closed the stream before answering.') };
    if (isEmptyAnswer(finalChunk)) return { kind: 'empty', value: stream };
  }
  return { kind: 'ok', value: stream };
}

async function writeChunks(
  out: SseResponse,
  ctx: TrackedContext,
  chunks: ChatCompletionChunk[],
): Promise<void> {
  for (const chunk of chunks) {
    for (const choice of chunk.choices) ctx.rememberToolCalls(choice.delta.tool_calls);
    await out.write(sseData(chunk));
  }
  chunks.length = 0;
}

const endWithError = (out: SseResponse, error: ApiError, state: RequestState) => {
  state.errorCode = error.code;
  out.end(sseData(toOpenAIError(error)) + SSE_DONE);
};

export async function streamChat(
  core: GatewayCore,
  prepared: PreparedChat,
  reply: FastifyReply,
  signal: AbortSignal,
  state: RequestState,
): Promise<void> {
  const out = new SseResponse(reply, core.settings.get().streamKeepaliveSeconds * 1000);
  const images = createImageLinks(core, {
    origin: prepared.origin,
    model: prepared.model.requested,
    prompt: prepared.prompt,
  });
  const ctx = createResponseContext(core, prepared.model.requested, images.urlOf);

  let opened;
  try {
    opened = await withSignatureFallback(
      core,
      prepared,
      (requestBody) =>
        withFailover(
          {
            pool: core.keys,
            model: prepared.model.upstream,
            budget: retryBudgetOf(core.settings.get()),
            signal,
            now: core.now,
            canRetry: () => !out.committed,
          },
          (lease) => {
            recordKey(state, lease);
            // Keep-alives start only once Gemini accepted the stream: a 429 or 503 arrives before that
            // and can still move to another key; what follows is the model thinking, which can take minutes.
            return openAttempt(core, prepared, requestBody, ctx, images, lease.key, signal, () =>
              out.armKeepAlive(),
            ).then((outcome) => {
              if (outcome.kind !== 'ok') out.disarmKeepAlive();
              return outcome;
            });
          },
        ),
      () => !out.committed,
    );
  } catch (err) {
    out.dispose();
    // Not committed: the route answers with a normal JSON error and the right status.
    if (!out.committed) throw err;
    endWithError(out, asApiError(err), state);
    return;
  }

  const { value: stream, lease } = opened;
  state.attempts = opened.attempts;
  let failure: ApiError | undefined;
  try {
    await writeChunks(out, ctx, stream.pending);
    while (!stream.ended && !out.closed) {
      const step = await stream.body.next();
      const events = step.done ? stream.decoder.end() : stream.decoder.push(step.value);
      const result = await consumeEvents(stream, events);
      await writeChunks(out, ctx, stream.pending);
      if (result) {
        failure = result.failure.error;
        core.keys.reportTransientFailure(lease, failure.status, result.failure.keyReason);
        break;
      }
      if (step.done) stream.ended = true;
    }
  } catch (err) {
    stream.destroy();
    out.dispose();
    if (signal.aborted) return; // The client left; the upstream call was aborted with it.
    const classified = classifyNetworkFailure(err);
    core.keys.reportTransientFailure(lease, null, classified.keyReason);
    failure = classified.error;
  }

  if (failure) return endWithError(out, failure, state);
  if (out.closed) return;

  const end = stream.transformer.end();
  if (end.truncated) {
    core.keys.reportTransientFailure(lease, null, 'stream ended without a finish reason');
    return endWithError(
      out,
      new ApiError('upstream_bad_response', 'Gemini ended the stream before finishing the answer.'),
      state,
    );
  }
  await writeChunks(out, ctx, end.chunks);
  const usage = stream.transformer.usage;
  core.keys.reportSuccess(lease, {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
  });
  state.promptTokens = usage.prompt_tokens;
  state.completionTokens = usage.completion_tokens;
  state.reasoningTokens = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  out.end(SSE_DONE);
}
