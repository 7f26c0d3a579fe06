import { describe, expect, it } from 'vitest';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  parseRetryDelay,
} from '../../../main/server/keys/failure-policy';
import type { FailureKind } from '../../../main/server/keys/failure-policy';
import type { ErrorCode } from '../../../main/server/errors';

const body = (code: number, status: string, message: string, details?: unknown[]): string =>
  JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } }, null, 2);

const QUOTA_MESSAGE =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';
const RATE_LIMIT_WITH_RETRY = body(429, 'RESOURCE_EXHAUSTED', QUOTA_MESSAGE, [
  {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [
      {
        quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count',
        quotaId: 'GenerateContentInputTokensPerModelPerMinute-FreeTier',
        quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
        quotaValue: '250000',
      },
    ],
  },
  {
    '@type': 'type.googleapis.com/google.rpc.Help',
    links: [
      {
        description: 'Learn more about Gemini API quotas',
        url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
      },
    ],
  },
  { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '26s' },
]);
const INVALID_KEY = body(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_INVALID',
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  },
  {
    '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
    locale: 'en-US',
    message: 'API key not valid. Please pass a valid API key.',
  },
]);
const UNREGISTERED =
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const NOT_FOUND =
  'models/gemini-foo is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.';
const UNKNOWN_FIELD = `Invalid JSON payload received. Unknown name "foo" at 'generation_config': Cannot find field.`;

interface Golden {
  name: string;
  status: number;
  body: string;
  kind: FailureKind;
  code: ErrorCode;
  httpStatus: number;
  message: string | RegExp;
  keyReason: string | RegExp;
  retryAfterMs?: number;
  retryAfterSeconds?: number;
  quotaModel?: string;
}

const golden: Golden[] = [
  {
    name: '429 quota with RetryInfo',
    status: 429,
    body: RATE_LIMIT_WITH_RETRY,
    kind: 'rate_limited',
    code: 'rate_limit_exceeded',
    httpStatus: 429,
    message: QUOTA_MESSAGE,
    keyReason: /^HTTP 429 RESOURCE_EXHAUSTED: You exceeded your current quota/,
    retryAfterMs: 26_000,
    retryAfterSeconds: 26,
    quotaModel: 'gemini-2.5-flash',
  },
  {
    name: '429 terse, no details',
    status: 429,
    body: body(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'),
    kind: 'rate_limited',
    code: 'rate_limit_exceeded',
    httpStatus: 429,
    message: 'Resource has been exhausted (e.g. check quota).',
    keyReason: /Resource has been exhausted/,
  },
  {
    name: '429 with a fractional retry delay rounds Retry-After up',
    status: 429,
    body: body(429, 'RESOURCE_EXHAUSTED', 'slow down', [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.250s' },
    ]),
    kind: 'rate_limited',
    code: 'rate_limit_exceeded',
    httpStatus: 429,
    message: 'slow down',
    keyReason: /slow down/,
    retryAfterMs: 1250,
    retryAfterSeconds: 2,
  },
  {
    name: '400 API_KEY_INVALID',
    status: 400,
    body: INVALID_KEY,
    kind: 'key_invalid',
    code: 'invalid_api_key',
    httpStatus: 401,
    message: 'API key not valid. Please pass a valid API key.',
    keyReason: 'API key not valid',
  },
  {
    name: '400 "API Key not found" without ErrorInfo',
    status: 400,
    body: body(400, 'INVALID_ARGUMENT', 'API Key not found. Please pass a valid API key.'),
    kind: 'key_invalid',
    code: 'invalid_api_key',
    httpStatus: 401,
    message: 'API Key not found. Please pass a valid API key.',
    keyReason: 'API key not found',
  },
  {
    name: '401 UNAUTHENTICATED',
    status: 401,
    body: body(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
    kind: 'key_invalid',
    code: 'invalid_api_key',
    httpStatus: 401,
    message: 'Request had invalid authentication credentials.',
    keyReason: /unauthenticated/,
  },
  {
    name: '403 unregistered callers (no key)',
    status: 403,
    body: body(403, 'PERMISSION_DENIED', UNREGISTERED),
    kind: 'key_invalid',
    code: 'invalid_api_key',
    httpStatus: 401,
    message: UNREGISTERED,
    keyReason: /unregistered caller/,
  },
  {
    name: '403 leaked key',
    status: 403,
    body: body(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.'),
    kind: 'key_invalid',
    code: 'permission_denied',
    httpStatus: 403,
    message: 'Your API key was reported as leaked. Please use another API key.',
    keyReason: 'API key reported as leaked',
  },
  {
    name: '403 suspended consumer',
    status: 403,
    body: body(403, 'PERMISSION_DENIED', "Permission denied: Consumer 'api_key:AIza…' has been suspended.", [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'CONSUMER_SUSPENDED',
        domain: 'googleapis.com',
      },
    ]),
    kind: 'key_invalid',
    code: 'permission_denied',
    httpStatus: 403,
    message: "Permission denied: Consumer 'api_key:AIza…' has been suspended.",
    keyReason: 'API key consumer suspended',
  },
  {
    name: '403 on one resource is the request, not the key',
    status: 403,
    body: body(
      403,
      'PERMISSION_DENIED',
      'You do not have permission to access the File abc123 or it may not exist.',
    ),
    kind: 'fatal',
    code: 'permission_denied',
    httpStatus: 403,
    message: 'You do not have permission to access the File abc123 or it may not exist.',
    keyReason: /HTTP 403 PERMISSION_DENIED/,
  },
  {
    // One model the project may not use: every key would get the same answer for that model only.
    name: '403 "caller does not have permission" (one model) is the request, not the key',
    status: 403,
    body: body(403, 'PERMISSION_DENIED', 'The caller does not have permission'),
    kind: 'fatal',
    code: 'permission_denied',
    httpStatus: 403,
    message: 'The caller does not have permission',
    keyReason: /HTTP 403 PERMISSION_DENIED/,
  },
  {
    name: '403 with an API_KEY_* restriction (IP, referrer, app) is the key',
    status: 403,
    body: body(403, 'PERMISSION_DENIED', 'Requests from this IP are blocked.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_IP_ADDRESS_BLOCKED' },
    ]),
    kind: 'key_invalid',
    code: 'permission_denied',
    httpStatus: 403,
    message: 'Requests from this IP are blocked.',
    keyReason: 'API key restricted (API_KEY_IP_ADDRESS_BLOCKED)',
  },
  {
    name: '400 unknown JSON field',
    status: 400,
    body: body(400, 'INVALID_ARGUMENT', UNKNOWN_FIELD, [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [{ field: 'generation_config', description: UNKNOWN_FIELD }],
      },
    ]),
    kind: 'fatal',
    code: 'upstream_invalid_request',
    httpStatus: 400,
    message: UNKNOWN_FIELD,
    keyReason: /Unknown name/,
  },
  {
    // Google repeats unknown field names in its 400s: a caller can make the message contain anything.
    name: '400 unknown field named like an invalid-key message is the request, not the key',
    status: 400,
    body: body(
      400,
      'INVALID_ARGUMENT',
      'Invalid JSON payload received. Unknown name "API key not valid" at \'generation_config\': Cannot find field.\nInvalid JSON payload received. Unknown name "API Key not found" at \'generation_config\': Cannot find field.',
    ),
    kind: 'fatal',
    code: 'upstream_invalid_request',
    httpStatus: 400,
    message:
      'Invalid JSON payload received. Unknown name "API key not valid" at \'generation_config\': Cannot find field.\nInvalid JSON payload received. Unknown name "API Key not found" at \'generation_config\': Cannot find field.',
    keyReason: /Unknown name/,
  },
  {
    name: '400 bad thinking budget',
    status: 400,
    body: body(400, 'INVALID_ARGUMENT', 'Budget 0 is invalid. This model only works in thinking mode.'),
    kind: 'fatal',
    code: 'upstream_invalid_request',
    httpStatus: 400,
    message: 'Budget 0 is invalid. This model only works in thinking mode.',
    keyReason: /Budget 0/,
  },
  {
    name: '400 FAILED_PRECONDITION (region)',
    status: 400,
    body: body(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
    kind: 'fatal',
    code: 'upstream_invalid_request',
    httpStatus: 400,
    message: 'User location is not supported for the API use.',
    keyReason: /FAILED_PRECONDITION/,
  },
  {
    name: '404 unknown model',
    status: 404,
    body: body(404, 'NOT_FOUND', NOT_FOUND),
    kind: 'fatal',
    code: 'model_not_found',
    httpStatus: 404,
    message: NOT_FOUND,
    keyReason: /NOT_FOUND/,
  },
  {
    name: '413 keeps its status',
    status: 413,
    body: body(413, 'INVALID_ARGUMENT', 'Request payload size exceeds the limit.'),
    kind: 'fatal',
    code: 'upstream_invalid_request',
    httpStatus: 413,
    message: 'Request payload size exceeds the limit.',
    keyReason: /HTTP 413/,
  },
  {
    name: '500 INTERNAL',
    status: 500,
    body: body(
      500,
      'INTERNAL',
      'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
    ),
    kind: 'transient',
    code: 'upstream_server_error',
    httpStatus: 500,
    message: /^An internal error has occurred/,
    keyReason: /HTTP 500 INTERNAL/,
  },
  {
    name: '502',
    status: 502,
    body: body(502, 'UNAVAILABLE', 'Bad gateway.'),
    kind: 'transient',
    code: 'upstream_bad_response',
    httpStatus: 502,
    message: 'Bad gateway.',
    keyReason: /HTTP 502/,
  },
  {
    name: '503 overloaded',
    status: 503,
    body: body(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
    kind: 'transient',
    code: 'upstream_unavailable',
    httpStatus: 503,
    message: 'The model is overloaded. Please try again later.',
    keyReason: 'HTTP 503 UNAVAILABLE: The model is overloaded. Please try again later.',
  },
  {
    name: '504 deadline',
    status: 504,
    body: body(504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'),
    kind: 'transient',
    code: 'upstream_timeout',
    httpStatus: 504,
    message: 'Deadline expired before operation could complete.',
    keyReason: /DEADLINE_EXCEEDED/,
  },
  {
    name: 'other 5xx keeps its status',
    status: 501,
    body: body(501, 'UNIMPLEMENTED', 'Method not implemented.'),
    kind: 'transient',
    code: 'upstream_server_error',
    httpStatus: 501,
    message: 'Method not implemented.',
    keyReason: /HTTP 501/,
  },
  {
    name: 'array-wrapped 503 (JSON-array stream mode)',
    status: 503,
    body: `[${body(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')}]`,
    kind: 'transient',
    code: 'upstream_unavailable',
    httpStatus: 503,
    message: 'The model is overloaded. Please try again later.',
    keyReason: /overloaded/,
  },
  {
    name: 'array-wrapped 429 with RetryInfo',
    status: 429,
    body: `[${RATE_LIMIT_WITH_RETRY}]`,
    kind: 'rate_limited',
    code: 'rate_limit_exceeded',
    httpStatus: 429,
    message: QUOTA_MESSAGE,
    keyReason: /quota/,
    retryAfterMs: 26_000,
    retryAfterSeconds: 26,
    quotaModel: 'gemini-2.5-flash',
  },
  {
    name: 'HTML 502 from a proxy in between',
    status: 502,
    body: '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>',
    kind: 'transient',
    code: 'upstream_bad_response',
    httpStatus: 502,
    message: /HTTP 502.*<html> <head><title>502 Bad Gateway/,
    keyReason: /HTTP 502/,
  },
  {
    name: 'unparseable 429 still cools the key',
    status: 429,
    body: 'Too Many Requests',
    kind: 'rate_limited',
    code: 'upstream_bad_response',
    httpStatus: 502,
    message: /HTTP 429.*Too Many Requests/,
    keyReason: /HTTP 429/,
  },
  {
    // Without Google's error body a 403 is a proxy's or a firewall's, which no other key gets past.
    name: 'unparseable 403 is not the key: passed on, no key disabled',
    status: 403,
    body: '{"truncated": ',
    kind: 'fatal',
    code: 'upstream_bad_response',
    httpStatus: 502,
    message: /HTTP 403/,
    keyReason: /HTTP 403/,
  },
  {
    name: 'JSON without an error object',
    status: 500,
    body: '{"candidates": []}',
    kind: 'transient',
    code: 'upstream_bad_response',
    httpStatus: 502,
    message: /HTTP 500.*candidates/,
    keyReason: /HTTP 500/,
  },
  {
    name: 'empty body',
    status: 503,
    body: '',
    kind: 'transient',
    code: 'upstream_bad_response',
    httpStatus: 502,
    message: /HTTP 503.*\(empty body\)/,
    keyReason: /HTTP 503/,
  },
];

describe('classifyHttpFailure (golden table, wire-format §1.10/§4.9)', () => {
  it.each(golden)('$name', (g) => {
    const result = classifyHttpFailure(g.status, g.body);
    expect(result.kind).toBe(g.kind);
    expect(result.error.code).toBe(g.code);
    expect(result.error.status).toBe(g.httpStatus);
    if (typeof g.message === 'string') expect(result.error.message).toBe(g.message);
    else expect(result.error.message).toMatch(g.message);
    if (typeof g.keyReason === 'string') expect(result.keyReason).toBe(g.keyReason);
    else expect(result.keyReason).toMatch(g.keyReason);
    expect(result.retryAfterMs).toBe(g.retryAfterMs);
    expect(result.error.retryAfterSeconds).toBe(g.retryAfterSeconds);
    expect(result.quotaModel).toBe(g.quotaModel);
  });

  it('redacts keys from messages the client and the key record see', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqr9xQk';
    const result = classifyHttpFailure(
      400,
      body(400, 'INVALID_ARGUMENT', `Bad request for https://g/v1beta?key=${key} and ${key}`),
    );
    expect(result.kind).toBe('fatal');
    expect(result.error.message).not.toContain(key);
    expect(result.keyReason).not.toContain(key);
    expect(result.error.message).toContain('AIza…9xQk');
  });

  it('keeps unparseable excerpts short and redacted', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqr9xQk';
    const result = classifyHttpFailure(500, `oops ${key} ${'x'.repeat(1000)}`);
    expect(result.error.message).not.toContain(key);
    expect(result.error.message).toContain('HTTP 500');
    const excerpt = result.error.message.split(': ').slice(1).join(': ');
    expect(excerpt.length).toBeLessThanOrEqual(200);
  });
});

describe('the model a 429 names (QuotaFailure quotaDimensions.model)', () => {
  const violation = (dimensions?: Record<string, unknown>) => ({
    quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
    quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
    ...(dimensions ? { quotaDimensions: dimensions } : {}),
    quotaValue: '5',
  });
  const quota429 = (...violations: unknown[]) =>
    body(429, 'RESOURCE_EXHAUSTED', QUOTA_MESSAGE, [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' },
    ]);
  const modelOf = (text: string) => classifyHttpFailure(429, text).quotaModel;

  it('is the model every violation names, with or without the models/ prefix', () => {
    expect(modelOf(quota429(violation({ location: 'global', model: 'gemini-2.5-pro' })))).toBe(
      'gemini-2.5-pro',
    );
    expect(modelOf(quota429(violation({ model: 'models/gemini-2.5-pro' })))).toBe('gemini-2.5-pro');
    expect(
      modelOf(
        quota429(violation({ model: 'gemini-2.5-pro' }), violation({ model: 'models/gemini-2.5-pro' })),
      ),
    ).toBe('gemini-2.5-pro');
  });

  it.each([
    ['no details', body(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).')],
    ['no violations', quota429()],
    ['a violation without dimensions', quota429(violation())],
    ['a violation without a model', quota429(violation({ location: 'global' }))],
    ['an empty model', quota429(violation({ model: '' }))],
    ['a model that is not a string', quota429(violation({ model: 42 }))],
    [
      'one violation naming a model, one naming none (a project-wide quota)',
      quota429(violation({ model: 'gemini-2.5-pro' }), violation({ location: 'global' })),
    ],
    [
      'violations naming different models',
      quota429(violation({ model: 'gemini-2.5-pro' }), violation({ model: 'gemini-2.5-flash' })),
    ],
    ['violations that are not objects', quota429('gemini-2.5-pro', null)],
  ])('is absent (the whole key cools) with %s', (_name, text) => {
    const result = classifyHttpFailure(429, text);
    expect(result.kind).toBe('rate_limited');
    expect(result.quotaModel).toBeUndefined();
  });

  it('is only read from a 429', () => {
    const text = quota429(violation({ model: 'gemini-2.5-pro' })).replace('"code": 429', '"code": 503');
    expect(classifyHttpFailure(503, text).quotaModel).toBeUndefined();
  });
});

describe('parseRetryDelay', () => {
  it.each([
    ['26s', 26_000],
    ['0.5s', 500],
    ['1.250s', 1_250],
    ['0.57s', 570],
    ['0s', 0],
    ['1.0000001s', 1_001],
    [' 3s ', 3_000],
    ['42', 42_000],
    ['', undefined],
    ['soon', undefined],
    ['-1s', undefined],
    ['1.5m', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryDelay(value)).toBe(expected);
  });
});

const errnoError = (code: string, message = `connect ${code} 1.2.3.4:443`): Error =>
  Object.assign(new Error(message), { code });

describe('classifyNetworkFailure', () => {
  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'upstream_timeout', 504, /no response headers in time/],
    ['UND_ERR_BODY_TIMEOUT', 'upstream_timeout', 504, /body stalled/],
    ['UND_ERR_CONNECT_TIMEOUT', 'upstream_timeout', 504, /connect timed out/],
    ['ETIMEDOUT', 'upstream_timeout', 504, /ETIMEDOUT/],
    ['ECONNREFUSED', 'upstream_unreachable', 502, /connection refused \(ECONNREFUSED\)/],
    ['ECONNRESET', 'upstream_unreachable', 502, /connection reset \(ECONNRESET\)/],
    ['ENOTFOUND', 'upstream_unreachable', 502, /host name not found \(ENOTFOUND\)/],
    ['EAI_AGAIN', 'upstream_unreachable', 502, /EAI_AGAIN/],
    ['UND_ERR_SOCKET', 'upstream_unreachable', 502, /closed unexpectedly \(UND_ERR_SOCKET\)/],
    ['EWHATEVER', 'upstream_unreachable', 502, /EWHATEVER/],
  ] as const)('%s → %s', (code, apiCode, status, message) => {
    const result = classifyNetworkFailure(errnoError(code));
    expect(result.kind).toBe('transient');
    expect(result.error.code).toBe(apiCode);
    expect(result.error.status).toBe(status);
    expect(result.error.message).toMatch(message);
    expect(result.keyReason).toBe(result.error.message);
  });

  it('finds the code on a wrapped cause (fetch) and inside an AggregateError (happy eyeballs)', () => {
    const wrapped = new TypeError('fetch failed', { cause: errnoError('ECONNRESET') });
    expect(classifyNetworkFailure(wrapped).error.message).toMatch(/ECONNRESET/);
    const aggregate = new AggregateError([errnoError('ECONNREFUSED'), errnoError('ECONNREFUSED')], 'x');
    expect(classifyNetworkFailure(aggregate).error.message).toMatch(/ECONNREFUSED/);
  });

  it('treats a TimeoutError (AbortSignal.timeout) as a timeout', () => {
    const result = classifyNetworkFailure(
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    );
    expect(result).toMatchObject({ kind: 'transient', error: { code: 'upstream_timeout' } });
  });

  it('does not retry a caller abort', () => {
    const result = classifyNetworkFailure(new DOMException('This operation was aborted', 'AbortError'));
    expect(result.kind).toBe('fatal');
  });

  it('never shows a URL query or a key from an unknown error', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqr9xQk';
    const result = classifyNetworkFailure(
      new Error(
        `request to https://generativelanguage.googleapis.com/v1beta/models?key=${key}&alt=sse failed`,
      ),
    );
    expect(result.kind).toBe('transient');
    expect(result.error.code).toBe('upstream_unreachable');
    expect(result.error.message).toContain('https://generativelanguage.googleapis.com/v1beta/models');
    expect(result.error.message).not.toContain(key);
    expect(result.error.message).not.toContain('alt=sse');
  });

  it('handles values that are not errors', () => {
    expect(classifyNetworkFailure('boom')).toMatchObject({
      kind: 'transient',
      error: { code: 'upstream_unreachable' },
    });
    expect(classifyNetworkFailure(undefined).error.message).toMatch(/unknown error/);
  });
});
