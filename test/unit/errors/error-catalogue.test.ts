/**
 * The error catalogue (DESIGN §7) as a golden table: every code with its HTTP status, OpenAI `type`,
 * gRPC status name and retryable flag. A code added or changed without updating this table fails,
 * so a change to what clients see is always a deliberate one. Then the two envelopes it renders
 * (wire-format §3.6 OpenAI, §1.10 Gemini) and asApiError, which must never pass internals on.
 */
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  asApiError,
  errorCatalogue,
  toGeminiError,
  toOpenAIError,
  type ErrorCode,
} from '../../../main/server/errors';

type Golden = [status: number, type: string, grpcStatus: string, retryable: boolean];

const GOLDEN: Record<ErrorCode, Golden> = {
  invalid_json: [400, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  invalid_request: [400, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  unsupported_parameter: [400, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  invalid_image_url: [400, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  upstream_invalid_request: [400, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  invalid_api_key: [401, 'invalid_request_error', 'UNAUTHENTICATED', false],
  access_key_disabled: [401, 'invalid_request_error', 'UNAUTHENTICATED', false],
  access_key_expired: [401, 'invalid_request_error', 'UNAUTHENTICATED', false],
  access_key_exhausted: [401, 'invalid_request_error', 'UNAUTHENTICATED', false],
  admin_unauthorized: [401, 'invalid_request_error', 'UNAUTHENTICATED', false],
  permission_denied: [403, 'permission_error', 'PERMISSION_DENIED', false],
  ip_blocked: [403, 'permission_error', 'PERMISSION_DENIED', false],
  not_found: [404, 'invalid_request_error', 'NOT_FOUND', false],
  model_not_found: [404, 'invalid_request_error', 'NOT_FOUND', false],
  method_not_allowed: [405, 'invalid_request_error', 'UNIMPLEMENTED', false],
  request_too_large: [413, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  unsupported_media_type: [415, 'invalid_request_error', 'INVALID_ARGUMENT', false],
  rate_limit_exceeded: [429, 'rate_limit_error', 'RESOURCE_EXHAUSTED', true],
  auth_attempts_exceeded: [429, 'rate_limit_error', 'RESOURCE_EXHAUSTED', true],
  all_keys_rate_limited: [429, 'rate_limit_error', 'RESOURCE_EXHAUSTED', true],
  internal_error: [500, 'server_error', 'INTERNAL', true],
  upstream_server_error: [500, 'server_error', 'INTERNAL', true],
  upstream_bad_response: [502, 'server_error', 'UNAVAILABLE', true],
  upstream_unreachable: [502, 'server_error', 'UNAVAILABLE', true],
  upstream_unavailable: [503, 'server_error', 'UNAVAILABLE', true],
  no_keys_available: [503, 'server_error', 'UNAVAILABLE', true],
  storage_unavailable: [503, 'server_error', 'UNAVAILABLE', true],
  upstream_timeout: [504, 'server_error', 'DEADLINE_EXCEEDED', true],
  client_closed: [499, 'invalid_request_error', 'CANCELLED', false],
};

const codes = Object.keys(GOLDEN) as ErrorCode[];

describe('the catalogue', () => {
  it('holds exactly the codes of the golden table', () => {
    expect(Object.keys(errorCatalogue).sort()).toEqual([...codes].sort());
  });

  it.each(codes)('%s → its status, type, gRPC status and retryable flag', (code) => {
    const [status, type, grpcStatus, retryable] = GOLDEN[code];
    expect(errorCatalogue[code]).toEqual({ status, type, grpcStatus, retryable });
    // An ApiError built from the code carries the same, with no param and no Retry-After.
    const err = new ApiError(code, 'text');
    expect(err).toMatchObject({ code, status, type, grpcStatus, retryable, param: null, message: 'text' });
    expect(err.retryAfterSeconds).toBeUndefined();
  });

  it('every 5xx is a server_error and every 4xx is not (the OpenAI SDK picks its class by status)', () => {
    for (const code of codes) {
      const { status, type } = errorCatalogue[code];
      expect(type === 'server_error', code).toBe(status >= 500);
    }
  });

  // wire-format §4.9: what a Gemini failure becomes for an OpenAI client.
  it.each([
    ['invalid_api_key', 401, 'invalid_request_error'],
    ['upstream_invalid_request', 400, 'invalid_request_error'],
    ['permission_denied', 403, 'permission_error'],
    ['model_not_found', 404, 'invalid_request_error'],
    ['rate_limit_exceeded', 429, 'rate_limit_error'],
    ['upstream_server_error', 500, 'server_error'],
    ['upstream_bad_response', 502, 'server_error'],
    ['upstream_unavailable', 503, 'server_error'],
    ['upstream_timeout', 504, 'server_error'],
  ] as const)('wire-format §4.9: %s is %i %s', (code, status, type) => {
    expect(toOpenAIError(new ApiError(code, 'm')).error).toMatchObject({ code, type });
    expect(new ApiError(code, 'm').status).toBe(status);
  });
});

describe('ApiError options', () => {
  it('param, Retry-After and cause are kept; a status override keeps the catalogue type', () => {
    const cause = new Error('socket hang up');
    const err = new ApiError('upstream_invalid_request', 'Gemini said no', {
      param: 'messages',
      retryAfterSeconds: 26,
      status: 422,
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ApiError');
    expect(err).toMatchObject({
      status: 422,
      type: 'invalid_request_error',
      grpcStatus: 'INVALID_ARGUMENT',
      param: 'messages',
      retryAfterSeconds: 26,
    });
    expect(err.cause).toBe(cause);
  });

  it('without a cause there is no cause property at all', () => {
    expect('cause' in new ApiError('not_found', 'gone')).toBe(false);
  });
});

describe('envelopes', () => {
  it('OpenAI (wire-format §3.6): exactly message, type, param, code', () => {
    const err = new ApiError('invalid_api_key', 'Incorrect API key provided.');
    expect(JSON.stringify(toOpenAIError(err))).toBe(
      '{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    );
    const withParam = new ApiError('unsupported_parameter', 'n must be 1', { param: 'n' });
    expect(toOpenAIError(withParam)).toEqual({
      error: {
        message: 'n must be 1',
        type: 'invalid_request_error',
        param: 'n',
        code: 'unsupported_parameter',
      },
    });
  });

  it('Gemini (wire-format §1.10): code is the HTTP status, status the gRPC name', () => {
    const err = new ApiError('rate_limit_exceeded', 'Slow down.', { retryAfterSeconds: 5 });
    expect(JSON.stringify(toGeminiError(err))).toBe(
      '{"error":{"code":429,"message":"Slow down.","status":"RESOURCE_EXHAUSTED"}}',
    );
    // An overridden status (an upstream 4xx passed through) is what Gemini's `code` reports.
    const passedThrough = new ApiError('upstream_invalid_request', 'bad', { status: 409 });
    expect(toGeminiError(passedThrough).error.code).toBe(409);
  });
});

describe('asApiError', () => {
  it('passes an ApiError through unchanged', () => {
    const err = new ApiError('model_not_found', 'no such model');
    expect(asApiError(err)).toBe(err);
  });

  it.each([
    ['an Error', new Error('ECONNREFUSED 10.0.0.7:5432 password=hunter2')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'apiKey')")],
    ['a string', 'secret-token-abc'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a plain object', { apiKey: 'AIza-secret', statusCode: 400 }],
  ])('%s → 500 internal_error, the details kept as the cause for the log only', (_label, thrown) => {
    const err = asApiError(thrown);
    expect(err.status).toBe(500);
    expect(err.code).toBe('internal_error');
    expect(err.message).toBe('The gateway hit an internal error; details are in its log.');
    expect(err.cause).toBe(thrown);
    const sent = JSON.stringify([toOpenAIError(err), toGeminiError(err)]);
    expect(sent).not.toMatch(/hunter2|apiKey|secret|ECONNREFUSED|42/);
  });
});
