/**
 * Reads a request body as the chunks it arrived in, as fastify's `parseAs: 'buffer'` reader does but
 * without joining them at the end: the JSON parser joins small bodies itself, and cuts large data URLs
 * out of big ones without ever joining those (large-data-urls.ts). Same limits, same fastify errors.
 */
import type { Readable } from 'node:stream';
import { errorCodes } from 'fastify';

export type BodyChunksDone = (error: Error | null, chunks: Buffer[], length: number) => void;

export function readBodyChunks(
  payload: Readable,
  contentLengthHeader: string | undefined,
  limit: number,
  done: BodyChunksDone,
): void {
  const declared = contentLengthHeader === undefined ? Number.NaN : Number(contentLengthHeader);
  if (declared > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), [], 0);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += bytes.length;
    if (received > limit) {
      stop();
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), [], 0);
      return;
    }
    chunks.push(bytes);
  }
  function onEnd(error?: Error & { statusCode?: number }): void {
    stop();
    if (error) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      done(error, [], 0);
      return;
    }
    if (!Number.isNaN(declared) && received !== declared) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), [], 0);
      return;
    }
    done(null, chunks, received);
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
