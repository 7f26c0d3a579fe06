/**
 * toApiError: whatever reaches the error handler becomes a catalogue error. Fastify's own failures
 * (wire-format §3.6: the OpenAI SDK picks its error class from the status alone) become a clear 4xx;
 * anything else becomes a 500 that tells the client nothing of the gateway's internals. The fastify
 * errors are the real ones, built from fastify's exported error classes and its JSON parser.
 */
import Fastify, { errorCodes, type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError, toOpenAIError } from '../../../main/server/errors';
import { toApiError } from '../../../main/server/http-errors';

const MAX_BODY_MB = 30;

/** What fastify's careful JSON parser (the one json-body.ts falls back on) reports for `body`. */
function parserError(body: string): unknown {
  const parse = Fastify().getDefaultJsonParser('error', 'error');
  let failure: unknown;
  void parse({} as FastifyRequest, body, (err: unknown) => {
    failure = err;
  });
  return failure;
}

describe('fastify errors → a clear 4xx', () => {
  it.each([
    [
      'a body over MAX_BODY_MB',
      new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
      413,
      'request_too_large',
      'The request body is larger than the 30 MB limit (MAX_BODY_MB).',
    ],
    [
      'a Content-Type with no parser',
      new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/plain'),
      415,
      'unsupported_media_type',
      'Unsupported Content-Type; send application/json.',
    ],
    [
      'a Content-Length that does not match the body',
      new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(),
      400,
      'invalid_request',
      'The Content-Length header does not match the body.',
    ],
    [
      'an empty JSON body',
      parserError(''),
      400,
      'invalid_json',
      'The request body is empty; a JSON object was expected.',
    ],
    [
      'malformed JSON',
      parserError('{"model": '),
      400,
      'invalid_json',
      'The request body is not valid JSON, or contains a forbidden "__proto__" or "constructor.prototype" key.',
    ],
    [
      'a "__proto__" key',
      parserError('{"__proto__": {"admin": true}}'),
      400,
      'invalid_json',
      'The request body is not valid JSON, or contains a forbidden "__proto__" or "constructor.prototype" key.',
    ],
    [
      'a schema validation failure',
      new errorCodes.FST_ERR_VALIDATION('body/model must be string'),
      400,
      'invalid_request',
      'body/model must be string',
    ],
    [
      'a malformed URL component',
      new errorCodes.FST_ERR_BAD_URL('%zz'),
      400,
      'invalid_request',
      "'%zz' is not a valid url component",
    ],
  ])('%s → %i %s', (_label, thrown, status, code, message) => {
    const err = toApiError(thrown, MAX_BODY_MB);
    expect(toOpenAIError(err)).toEqual({
      error: { message, type: 'invalid_request_error', param: null, code },
    });
    expect(err.status).toBe(status);
  });

  it('the size limit in the message is the configured one', () => {
    const err = toApiError(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 0.5);
    expect(err.message).toContain('0.5 MB');
  });

  it('any other 4xx keeps its status and message; one without a message says "Bad request."', () => {
    const timeout = Object.assign(new Error('Request timed out.'), { statusCode: 408 });
    expect(toApiError(timeout, MAX_BODY_MB)).toMatchObject({
      status: 408,
      code: 'invalid_request',
      type: 'invalid_request_error',
      message: 'Request timed out.',
    });
    expect(toApiError({ statusCode: 400 }, MAX_BODY_MB)).toMatchObject({
      status: 400,
      message: 'Bad request.',
    });
  });
});

describe('anything else → 500 without internals', () => {
  const internal = {
    status: 500,
    code: 'internal_error',
    type: 'server_error',
    message: 'The gateway hit an internal error; details are in its log.',
  };

  it.each([
    ['an Error', new Error('connect ECONNREFUSED 10.0.0.7:5432')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'key')")],
    ['a fastify 5xx', new errorCodes.FST_ERR_REP_INVALID_PAYLOAD_TYPE('object')],
    ['an error claiming a 2xx/3xx status', Object.assign(new Error('moved'), { statusCode: 302 })],
    ['an error with a non-numeric status', { statusCode: '400', message: 'AIza-secret' }],
    ['a string', 'AIza-secret'],
    ['a number', 7],
    ['null (throw null)', null],
    ['undefined (Promise.reject())', undefined],
    ['a symbol', Symbol('secret')],
  ])('%s', (_label, thrown) => {
    const err = toApiError(thrown, MAX_BODY_MB);
    expect(err).toMatchObject(internal);
    // Kept for the log line only.
    expect(err.cause).toBe(thrown);
    expect(JSON.stringify(toOpenAIError(err))).not.toMatch(/ECONNREFUSED|reading|AIza|secret|moved/);
  });

  it('an ApiError is rendered as thrown, Retry-After included', () => {
    const thrown = new ApiError('all_keys_rate_limited', 'Every key is cooling down.', {
      retryAfterSeconds: 12,
    });
    expect(toApiError(thrown, MAX_BODY_MB)).toBe(thrown);
  });
});
