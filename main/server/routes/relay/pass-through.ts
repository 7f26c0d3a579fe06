/**
 * The plain relay (wire-format §5.1): method, path, query, end-to-end headers and body go to xAI
 * with the chosen key; status, headers and body come back. Both bodies are streams: each chunk goes
 * on as it arrives, so SSE reaches the caller event by event. Errors from xAI pass through as they
 * are; only the gateway's own failures (no usable key, xAI unreachable) are OpenAI-shaped.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../providers/xai/relay-headers';
import { xaiNetworkError } from '../../providers/xai/xai-errors';
import { callWithXaiKey, type RelayedAnswer, type XaiCredential } from '../../providers/xai/xai-keys';
import type { XaiResponse } from '../../providers/xai/xai-client';

export interface RelayCall {
  url: string;
  credential: XaiCredential;
  signal: AbortSignal;
  /** The caller's body: still streaming, or already read by the gateway (then replayable). */
  body: Readable | Buffer | undefined;
  /**
   * The model the body names, when the gateway read it: a pooled key's 403 cools the key for that
   * model only; without one, for the method and path (xai-keys.ts).
   */
  model?: string;
}

/** One call through the key logic; a failure to get any answer becomes the gateway's own error. */
export async function callXai(
  core: GatewayCore,
  request: FastifyRequest,
  call: RelayCall & { method: string; headers: (key: string) => Record<string, string | string[]> },
): Promise<RelayedAnswer> {
  const state = request.gemgate;
  try {
    return await callWithXaiKey(
      {
        pool: core.xaiKeys,
        now: core.now,
        credential: call.credential,
        replayable: !(call.body instanceof Readable),
        onKey: (masked, id) => {
          state.key = masked;
          if (id !== undefined) state.keyId = id;
        },
        warn: (message) => core.log.warn(message),
        scope: call.model ?? `${call.method} ${new URL(call.url).pathname}`,
      },
      (key): Promise<XaiResponse> =>
        core.xai.send({
          url: call.url,
          method: call.method,
          headers: call.headers(key),
          ...(call.body === undefined ? {} : { body: call.body }),
          signal: call.signal,
        }),
    );
  } catch (err) {
    throw err instanceof ApiError ? err : xaiNetworkError(err, call.signal);
  }
}

/** xAI's answer to the caller: its status, its end-to-end headers, its body as it streams in. */
export function sendAnswer(reply: FastifyReply, answer: RelayedAnswer): FastifyReply {
  const { response, buffered } = answer;
  reply
    .code(response.statusCode)
    .headers(clientResponseHeaders(response.headers, { fromMemory: buffered !== undefined }));
  return reply.send(buffered ?? response.body);
}

export async function passThrough(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  call: RelayCall,
): Promise<FastifyReply> {
  const streamedBody = call.body instanceof Readable;
  const pooledKey = call.credential.kind === 'pooled';
  const answer = await callXai(core, request, {
    ...call,
    method: request.method,
    headers: (key) => upstreamRequestHeaders(request.headers, key, { streamedBody, pooledKey }),
  });
  return sendAnswer(reply, answer);
}
