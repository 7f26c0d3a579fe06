/**
 * sendError renders an ApiError in the caller's dialect (DESIGN §7): OpenAI's envelope on /v1 and
 * everything that is not native, Gemini's (wire-format §1.10) on /v1beta and /gemini, judged by the
 * path the router runs. Retry-After goes out as whole seconds only when the error carries it. The
 * request and reply are fastify's minimal surface, recorded; nothing listens.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { isGeminiDialect, sendError, toApiError } from '../../../main/server/http-errors';

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
  errorCode?: string;
}

/** Sends `error` for a request to `url`, matched by route `pattern` (undefined: no route matched). */
function send(
  error: ApiError,
  url: string,
  pattern?: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Sent {
  const sent: Sent = { headers: {} };
  const reply = {
    header: (name: string, value: string) => ((sent.headers[name.toLowerCase()] = value), reply),
    code: (status: number) => ((sent.status = status), reply),
    type: (type: string) => ((sent.headers['content-type'] = type), reply),
    send: (body: unknown) => ((sent.body = body), reply),
  };
  const request = {
    method,
    url,
    headers,
    query: {},
    routeOptions: { url: pattern },
    gemgate: {} as { errorCode?: string },
  };
  sendError(request as unknown as FastifyRequest, reply as unknown as FastifyReply, error);
  sent.errorCode = request.gemgate.errorCode;
  return sent;
}

const notFound = new ApiError('model_not_found', 'The model gemini-9 does not exist.');
const OPENAI_BODY = {
  error: {
    message: 'The model gemini-9 does not exist.',
    type: 'invalid_request_error',
    param: null,
    code: 'model_not_found',
  },
};
const GEMINI_BODY = {
  error: { code: 404, message: 'The model gemini-9 does not exist.', status: 'NOT_FOUND' },
};

describe('the dialect follows the routed path', () => {
  it.each([
    ['/v1/chat/completions', '/v1/chat/completions', OPENAI_BODY],
    ['/v1/models/gemini-9', '/v1/models/:model', OPENAI_BODY],
    ['/xai/v1/chat/completions', undefined, OPENAI_BODY],
    ['/v1beta/models/gemini-9:generateContent?key=k', '/v1beta/models/:call', GEMINI_BODY],
    ['/gemini/v1beta/models', undefined, GEMINI_BODY],
    // No route matched: the decoded path decides, so an encoded native path is still native.
    ['/%761beta/models/gemini-9', undefined, GEMINI_BODY],
    ['http://gateway:7860/v1beta/models', undefined, GEMINI_BODY],
    // A wildcard route (the CORS preflight) does not tell the path: the URL decides.
    ['/v1beta/models', '*', GEMINI_BODY],
  ])('%s (route %s)', (url, pattern, body) => {
    const sent = send(notFound, url, pattern);
    expect(sent).toEqual({
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      errorCode: 'model_not_found',
    });
  });

  it.each([
    ['GET', '/v1beta/models', true],
    ['POST', '/gemini/v1beta/models/x:streamGenerateContent', true],
    ['POST', '/v1/models/gemini-2.5-flash:generateContent', true],
    ['POST', '/upload/v1beta/files', true],
    ['GET', '/v1beta', false],
    ['GET', '/v1/models', false],
    ['GET', '/v1/models/gemini-2.5-flash', false],
    ['GET', '/admin/api/session', false],
  ])('isGeminiDialect(%s %s) → %s', (method, url, gemini) => {
    const request = { method, url, headers: {}, query: {}, routeOptions: { url: undefined } };
    expect(isGeminiDialect(request as unknown as FastifyRequest)).toBe(gemini);
  });

  it("Google's v1 model methods get Google's shape; OpenAI's GET /v1/models/{id} keeps OpenAI's", () => {
    const v1 = '/v1/models/gemini-9:generateContent';
    expect(send(notFound, v1, '/v1/models/:name', 'POST').body).toEqual(GEMINI_BODY);
    expect(send(notFound, '/v1/models/gemini-9', '/v1/models/:id', 'GET').body).toEqual(OPENAI_BODY);
  });

  it("GET /v1/models/{id} with Google's key alone is @google/genai on v1: Google's shape", () => {
    const google = { 'x-goog-api-key': 'k' };
    expect(send(notFound, '/v1/models/gemini-9', '/v1/models/:id', 'GET', google).body).toEqual(GEMINI_BODY);
    const both = { ...google, authorization: 'Bearer k' };
    expect(send(notFound, '/v1/models/gemini-9', '/v1/models/:id', 'GET', both).body).toEqual(OPENAI_BODY);
  });
});

describe('Retry-After', () => {
  it('is sent with the seconds the error carries, in both dialects', () => {
    const limited = new ApiError('rate_limit_exceeded', 'Slow down.', { retryAfterSeconds: 26 });
    for (const url of ['/v1/models', '/v1beta/models']) {
      const sent = send(limited, url);
      expect(sent.status).toBe(429);
      expect(sent.headers['retry-after']).toBe('26');
    }
  });

  it('is not sent when the error carries none, even for a retryable status', () => {
    const sent = send(new ApiError('upstream_unavailable', 'The model is overloaded.'), '/v1/models');
    expect(sent.status).toBe(503);
    expect(sent.headers).not.toHaveProperty('retry-after');
  });
});

describe('end to end through toApiError', () => {
  it('a thrown null on a native route → a Gemini-shaped 500 that says nothing more', () => {
    const sent = send(toApiError(null, 30), '/v1beta/models/x:generateContent', '/v1beta/models/:call');
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      error: {
        code: 500,
        message: 'The gateway hit an internal error; details are in its log.',
        status: 'INTERNAL',
      },
    });
  });

  it('a passed-through upstream status is the one sent', () => {
    const conflict = new ApiError('upstream_invalid_request', 'Conflict.', { status: 409 });
    expect(send(conflict, '/v1/chat/completions').status).toBe(409);
    expect(send(conflict, '/v1beta/models').body).toEqual({
      error: { code: 409, message: 'Conflict.', status: 'INVALID_ARGUMENT' },
    });
  });
});
