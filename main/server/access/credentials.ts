/** Pulls the caller's credential out of the request, in the places each dialect puts it. */
import type { FastifyRequest } from 'fastify';

/**
 * Only the scheme is matched by a regex; the rest is trimmed. A lazy `(.+?)\s*$` over the whole
 * header backtracks quadratically on a long run of spaces: 16 KB of them held the event loop for
 * 180 ms, before any credential was checked.
 */
const BEARER = /^\s*Bearer\s+/i;

export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const scheme = BEARER.exec(header);
  return scheme ? header.slice(scheme[0].length).trim() || undefined : undefined;
};

const firstValue = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** Gemini-native clients send the key as `x-goog-api-key` or `?key=`; some send a Bearer token. */
export const geminiStyleToken = (request: FastifyRequest): string | undefined => {
  const header = firstValue(request.headers['x-goog-api-key']);
  if (header) return header;
  const query = request.query as Record<string, unknown> | undefined;
  const key = query?.key;
  if (typeof key === 'string' && key.trim()) return key.trim();
  return bearerToken(request);
};
