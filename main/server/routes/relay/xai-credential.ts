/**
 * The xAI key a /xai/ request is served with, as access control admitted it (access-control.ts):
 * a gateway credential (password, access key) or an allow-listed / `auth`-authorised address gets
 * a pooled key; any other Bearer token is the caller's own xAI key and is forwarded as is.
 */
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../../access/credentials';
import type { GatewayCore } from '../../core';
import { missingXaiKeyError, noPooledXaiKeysError } from '../../providers/xai/xai-errors';
import type { XaiCredential } from '../../providers/xai/xai-keys';

export function xaiCredentialOf(core: GatewayCore, request: FastifyRequest): XaiCredential {
  const access = request.gemgate.access;
  if (access === 'own_xai_key') {
    const token = bearerToken(request);
    if (token === undefined) throw missingXaiKeyError();
    return { kind: 'own', key: token };
  }
  // Not admitted by access control (it always says how on /xai): never a pooled key.
  if (access === undefined) throw missingXaiKeyError();
  // Checked again here: XAI_API_KEYS may have been emptied since access control looked.
  if (core.xaiKeys.availability().total === 0) throw noPooledXaiKeysError();
  return { kind: 'pooled' };
}
