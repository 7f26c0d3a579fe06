/**
 * Reads a request body the gateway must look into (chat completions, images/generations), within
 * MAX_BODY_MB.
 */
import type { Readable } from 'node:stream';
import { ApiError } from '../../errors';

const tooLarge = (maxBodyMb: number) =>
  new ApiError(
    'request_too_large',
    `The request body is larger than the ${maxBodyMb} MB limit (MAX_BODY_MB).`,
  );

/**
 * The whole body (empty when there is none). A declared Content-Length over the limit is refused
 * before reading, so the client reads a clean 413; a chunked body that grows past it is cut off.
 */
export async function readBody(
  body: Readable | undefined,
  declaredLength: string | undefined,
  maxBodyMb: number,
): Promise<Buffer> {
  const limit = Math.round(maxBodyMb * 1024 * 1024);
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw tooLarge(maxBodyMb);
  if (body === undefined) return Buffer.alloc(0);
  return collectCapped(body, limit, () => tooLarge(maxBodyMb));
}

/**
 * The stream's bytes joined, or `tooLarge()` thrown as soon as they pass `limit` (leaving the loop
 * destroys the stream, so the rest is never read). Also reads xAI answers (read-answer.ts).
 */
export async function collectCapped(
  stream: AsyncIterable<unknown>,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const piece = chunk as Buffer;
    size += piece.length;
    if (size > limit) throw tooLarge();
    chunks.push(piece);
  }
  return Buffer.concat(chunks, size);
}
