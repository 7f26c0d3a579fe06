/**
 * `:streamGenerateContent` relayed byte for byte, in the framing the client asked for (`alt=sse` →
 * SSE, otherwise the streamed JSON array, wire-format §1.6), each upstream read written as soon as it
 * arrives. Until the first response object is complete nothing is sent, so a 429, a dead key, a 5xx
 * or an error as the stream's first event still moves to another key; after that the stream is the
 * client's, and a failure ends it the way Google's would (its own error event, or a dropped
 * connection). A tap reads the passing events for the usage, without changing them.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  type ClassifiedFailure,
} from '../../keys/failure-policy';
import type { KeyLease } from '../../keys/key-pool';
import { logRequest } from '../../logging/request-log';
import type { AttemptOutcome } from '../../providers/gemini/failover';
import type { GeminiErrorBody } from '../../providers/gemini/gemini-types';
import { streamFramingOf } from '../../providers/gemini/native-path';
import { NativeStreamTap } from '../../providers/gemini/native-stream-tap';
import type { RequestState } from '../../request-state';
import {
  contentTypeOf,
  recordUsage,
  refusedAttempt,
  relayWithFailover,
  sendAnswer,
  type NativeCall,
  type RelayedAnswer,
} from './relay';

interface OpenStream {
  kind: 'stream';
  contentType: string;
  /** What was read while deciding about this attempt; sent first. */
  head: Buffer[];
  rest: AsyncIterator<Buffer>;
  destroy: () => void;
  tap: NativeStreamTap;
  ended: boolean;
}

/** An `{"error": …}` inside a 200 stream, classified like an HTTP error with its code. */
const classifyStreamError = (body: GeminiErrorBody): ClassifiedFailure =>
  classifyHttpFailure(typeof body.error.code === 'number' ? body.error.code : 500, JSON.stringify(body));

const closedEarly = (): ClassifiedFailure => {
  const text = 'Gemini closed the stream before answering.';
  return { kind: 'transient', keyReason: text, error: new ApiError('upstream_bad_response', text) };
};

async function openAttempt(
  core: GatewayCore,
  call: NativeCall,
  key: string,
  signal: AbortSignal,
  remember: (refusal: RelayedAnswer & { failure: ClassifiedFailure }) => void,
): Promise<AttemptOutcome<OpenStream | RelayedAnswer>> {
  let res;
  try {
    res = await core.gemini.forward({ ...call, key, signal, stream: true });
  } catch (err) {
    return { kind: 'failed', failure: classifyNetworkFailure(err) };
  }
  const contentType = contentTypeOf(res.headers);
  if (res.statusCode !== 200) {
    const text = await res.body.text().catch(() => '');
    return refusedAttempt(res.statusCode, contentType, text, remember);
  }
  const body = res.body;
  const stream: OpenStream = {
    kind: 'stream',
    contentType,
    head: [],
    rest: body[Symbol.asyncIterator]() as AsyncIterator<Buffer>,
    destroy: () => body.destroy(),
    tap: new NativeStreamTap(streamFramingOf(call.query)),
    ended: false,
  };
  try {
    while (!stream.tap.decided) {
      const step = await stream.rest.next();
      if (step.done) {
        stream.tap.end();
        stream.ended = true;
        break;
      }
      stream.head.push(step.value);
      stream.tap.push(step.value);
    }
  } catch (err) {
    stream.destroy();
    return { kind: 'failed', failure: classifyNetworkFailure(err) };
  }
  if (stream.tap.chunks === 0) {
    const error = stream.tap.error;
    const failure = error ? classifyStreamError(error) : closedEarly();
    // A request-level error inside the stream is relayed as Google wrote it; anything else may retry.
    if (failure.kind !== 'fatal') {
      stream.destroy();
      return { kind: 'failed', failure };
    }
  }
  return { kind: 'ok', value: stream };
}

/** After the stream: the key's record and the log fields, from what the tap saw. */
function settle(core: GatewayCore, lease: KeyLease, state: RequestState, tap: NativeStreamTap): void {
  const tokens = recordUsage(state, tap.usage);
  if (tap.error) {
    const failure = classifyStreamError(tap.error);
    state.errorCode = failure.error.code;
    core.keys.reportTransientFailure(lease, failure.error.status, failure.keyReason);
  } else if (!tap.finished) {
    state.errorCode = 'upstream_bad_response';
    core.keys.reportTransientFailure(lease, null, 'stream ended without a finish reason');
  } else {
    core.keys.reportSuccess(lease, tokens);
  }
}

export async function relayStream(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  call: NativeCall,
  signal: AbortSignal,
): Promise<FastifyReply> {
  const state = request.gemgate;
  const { value, lease } = await relayWithFailover<OpenStream>(core, state, signal, (key, remember) =>
    openAttempt(core, call, key, signal, remember),
  );
  if (value.kind === 'answer') return sendAnswer(reply, state, value);
  const stream = value;

  async function* relay(): AsyncGenerator<Buffer> {
    try {
      for (const chunk of stream.head) yield chunk;
      while (!stream.ended) {
        let step: IteratorResult<Buffer>;
        try {
          step = await stream.rest.next();
        } catch (err) {
          if (signal.aborted) return; // the client left; the upstream call was aborted with it
          const failure = classifyNetworkFailure(err);
          if (lease) core.keys.reportTransientFailure(lease, null, failure.keyReason);
          recordUsage(state, stream.tap.usage);
          state.errorCode = failure.error.code;
          // The status line went out long ago; the log says what really happened.
          logRequest(core, request, failure.error.status);
          throw err; // drops the connection: the client sees the stream break, as with Google
        }
        if (step.done) {
          stream.tap.end();
          break;
        }
        stream.tap.push(step.value);
        yield step.value;
      }
      if (lease) settle(core, lease, state, stream.tap);
    } finally {
      stream.destroy();
    }
  }

  return reply
    .code(200)
    .header('content-type', stream.contentType)
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no')
    .send(Readable.from(relay(), { objectMode: false }));
}
