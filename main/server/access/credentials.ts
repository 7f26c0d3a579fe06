/** Pulls the caller's credential out of the request, in the places each dialect puts it. */
import type { FastifyRequest } from 'fastify';

export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^\s*Bearer\s+(.+?)\s*$/i.exec(header);
  return match?.[1];
};
