/**
 * Renders any error in the caller's dialect (DESIGN §7): OpenAI's envelope on /v1, Gemini's on the
 * native routes. Fastify's own errors (bad JSON, body too large, wrong content type) are mapped to
 * catalogue entries so clients always see a clear 4xx with a JSON body.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiDialectOfRequest } from './access/api-dialect';
import { ApiError, asApiError, toGeminiError, toOpenAIError } from './errors';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

const fromFastify = (thrown: unknown, maxBodyMb: number): ApiError | undefined => {
  // `throw null` or `Promise.reject()` reaches the error handler as is: reading `.code` off it would
  // throw inside the handler, and fastify's fallback would send that TypeError's text to the client.
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const err = thrown as FastifyLikeError;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      // fastify refuses prototype-poisoning keys with this same code and drops the parser's reason,
      // so a valid body with such a key would otherwise be told it is not JSON at all.
      return new ApiError(
        'invalid_json',
        'The request body is not valid JSON, or contains a forbidden "__proto__" or "constructor.prototype" key.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('invalid_json', 'The request body is empty; a JSON object was expected.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        'request_too_large',
        `The request body is larger than the ${maxBodyMb} MB limit (MAX_BODY_MB).`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type', 'Unsupported Content-Type; send application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('invalid_request', 'The Content-Length header does not match the body.');
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError('invalid_request', err.message ?? 'Bad request.', { status: err.statusCode });
  }
  return undefined;
};

export const isGeminiDialect = (request: FastifyRequest): boolean =>
  apiDialectOfRequest(request) === 'gemini';

export const toApiError = (err: unknown, maxBodyMb: number): ApiError =>
  err instanceof ApiError ? err : (fromFastify(err, maxBodyMb) ?? asApiError(err));

export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  request.gemgate.errorCode = error.code;
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send(isGeminiDialect(request) ? toGeminiError(error) : toOpenAIError(error));
}
