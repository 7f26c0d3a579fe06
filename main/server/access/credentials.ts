/** Pulls the caller's credential out of the request, in the places each dialect puts it. */
import type { FastifyRequest } from 'fastify';

const BEARER = /^\s*Bearer\s+(.+?)\s*$/i;

export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (!header) return undefined;
  return BEARER.exec(header)?.[1];
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
