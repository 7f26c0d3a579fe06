/**
 * The per-client lockout for wrong passwords, in front of every door that compares one: the `auth`
 * chat command, POST /admin/api/login and GET /metrics. They count in one bucket per client
 * (authorised-ips.ts), so guesses spread over the doors add up to one lockout, not three.
 */
import type { FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';

/** The client IP as access control resolved it (TRUST_PROXY aware), else the socket's. */
export const clientIpOf = (request: FastifyRequest): string => request.gemgate.ip ?? request.ip;

/**
 * Throws the 429 while the IP is locked out. Call it before comparing anything: a locked client
 * must not be able to tell a correct guess from a wrong one.
 */
export function refuseIfLockedOut(core: Pick<GatewayCore, 'authorisedIps'>, ip: string): void {
  const locked = core.authorisedIps.lockedFor(ip);
  if (locked > 0) {
    throw new ApiError(
      'auth_attempts_exceeded',
      `Too many wrong passwords from ${ip}. Try again in ${locked} s.`,
      {
        retryAfterSeconds: locked,
      },
    );
  }
}
