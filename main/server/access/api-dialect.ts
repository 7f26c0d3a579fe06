/**
 * Which API a request belongs to — the one answer both the access rules (which credential, which
 * limits) and the error renderer (whose error shape) go by, so a client never gets one dialect's
 * 401 and the other's 404. Judged by the method and the routed path (request-path.ts), never the raw URL.
 *
 *   gemini  /v1beta/…, /gemini/…, /upload/… (Google's upload host paths: the SDK's Files API), and
 *           POST /v1/models/{model}:{action} — Google's v1, the default apiVersion of @google/genai
 *           3.x (platform-notes §9). OpenAI has no POST under /v1/models, so the method tells them apart.
 *           GET /v1/models and /v1/models/{id} from a caller with Google's credential (x-goog-api-key
 *           or ?key=) and no Authorization header: the SDK's models.list()/get() on v1. An OpenAI
 *           client always sends its key as a Bearer token.
 *   openai  every other /v1/… path and the xAI relay /xai/…
 */
import type { FastifyRequest } from 'fastify';
import { routedPath } from './request-path';

export type ApiDialect = 'openai' | 'gemini';

/** The xAI relay: OpenAI-dialect errors and the rate limits of /v1, its own credential rules. */
export const isXaiRelayPath = (path: string): boolean => path.startsWith('/xai/');

/** POST /v1/models/… : Google's v1 model methods (GET /v1/models/{id} stays OpenAI's). */
const isGoogleV1Call = (method: string, path: string): boolean =>
  method === 'POST' && path.startsWith('/v1/models/') && path.length > '/v1/models/'.length;

/** Which API a (routed, decoded) path belongs to; undefined for routes with their own (or no) access rules. */
export const apiDialectOf = (method: string, path: string): ApiDialect | undefined => {
  if (path.startsWith('/v1beta/') || path.startsWith('/gemini/') || path.startsWith('/upload/')) {
    return 'gemini';
  }
  if (isGoogleV1Call(method, path)) return 'gemini';
  if (path.startsWith('/v1/') || isXaiRelayPath(path)) return 'openai';
  return undefined;
};

const isModelsRead = (method: string, path: string): boolean =>
  (method === 'GET' || method === 'HEAD') && (path === '/v1/models' || path.startsWith('/v1/models/'));

/** Google's credential and no Bearer token: how @google/genai authenticates, never an OpenAI client. */
const sendsGoogleCredentialOnly = (request: FastifyRequest): boolean => {
  if (request.headers.authorization !== undefined) return false;
  if (request.headers['x-goog-api-key'] !== undefined) return true;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.key === 'string';
};

/** Which API a request belongs to: `apiDialectOf`, plus the Google v1 model reads only the headers tell. */
export const apiDialectFor = (request: FastifyRequest, path: string): ApiDialect | undefined =>
  isModelsRead(request.method, path) && sendsGoogleCredentialOnly(request)
    ? 'gemini'
    : apiDialectOf(request.method, path);

/** The API a request belongs to, judged by the route that will run, never by the raw URL. */
export const apiDialectOfRequest = (request: FastifyRequest): ApiDialect | undefined =>
  apiDialectFor(request, routedPath(request));
