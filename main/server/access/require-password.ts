/**
 * The gate in front of /v1 (DESIGN §4 step 1): the caller's Bearer token must be the gateway
 * password. Refusals are OpenAI-shaped 401s, never a thrown 500.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { secretEquals } from './constant-time';
import { bearerToken } from './credentials';

const PROTECTED_PREFIXES = ['/v1/'];

const isProtected = (url: string) => PROTECTED_PREFIXES.some((p) => url.startsWith(p));

export function checkPassword(core: GatewayCore, request: FastifyRequest): void {
  const token = bearerToken(request);
  if (token === undefined) {
    throw new ApiError(
      'invalid_api_key',
      'Missing API key. Send the gateway password as the API key (Authorization: Bearer <password>).',
    );
  }
  if (!secretEquals(token, core.settings.get().password)) {
    throw new ApiError(
      'invalid_api_key',
      'Incorrect API key provided. Use the gateway password as the API key.',
    );
  }
}

export function registerPasswordGate(app: FastifyInstance, core: GatewayCore): void {
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS' || !isProtected(request.url)) return;
    checkPassword(core, request);
  });
}
