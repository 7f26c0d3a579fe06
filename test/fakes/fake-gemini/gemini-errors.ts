/**
 * Gemini error bodies (wire-format §1.10): `{"error": {code, message, status, details?}}` where `code`
 * is the HTTP status and `status` the canonical gRPC name. Wording follows real captured bodies.
 */

export interface GeminiErrorReply {
  status: number;
  body: { error: { code: number; message: string; status: string; details?: unknown[] } };
}

const GRPC_STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function geminiError(status: number, message: string, details?: unknown[]): GeminiErrorReply {
  const grpcStatus = GRPC_STATUS_BY_HTTP[status] ?? 'UNKNOWN';
  const error = { code: status, message, status: grpcStatus, ...(details ? { details } : {}) };
  return { status, body: { error } };
}

export const invalidArgument = (message: string, details?: unknown[]): GeminiErrorReply =>
  geminiError(400, message, details);

export function invalidApiKey(): GeminiErrorReply {
  const message = 'API key not valid. Please pass a valid API key.';
  return geminiError(400, message, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
  ]);
}

export const missingApiKey = (): GeminiErrorReply =>
  geminiError(
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );

export const leakedApiKey = (): GeminiErrorReply =>
  geminiError(403, 'Your API key was reported as leaked. Please use another API key.');

export function quotaExceeded(modelId: string, retryDelay?: string): GeminiErrorReply {
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model: modelId },
          quotaValue: '10',
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
  ];
  if (retryDelay !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
  }
  const retryHint = retryDelay === undefined ? '' : ` Please retry in ${retryDelay}.`;
  return geminiError(
    429,
    `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.${retryHint}`,
    details,
  );
}

export const modelOverloaded = (): GeminiErrorReply =>
  geminiError(503, 'The model is overloaded. Please try again later.');

export const internalError = (): GeminiErrorReply =>
  geminiError(
    500,
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  );

export const modelNotFound = (modelId: string, method: string): GeminiErrorReply =>
  geminiError(
    404,
    `models/${modelId} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );

export const methodNotFound = (): GeminiErrorReply => geminiError(404, 'Method not found.');

/** The canonical body a scripted `{kind: 'error', status}` answers with when it gives none. */
export function canonicalError(status: number, modelId: string, method: string): GeminiErrorReply {
  switch (status) {
    case 400:
      return geminiError(400, 'Request contains an invalid argument.');
    case 403:
      return geminiError(403, 'The caller does not have permission');
    case 404:
      return modelNotFound(modelId, method);
    case 429:
      return geminiError(429, 'Resource has been exhausted (e.g. check quota).');
    case 500:
      return internalError();
    case 503:
      return modelOverloaded();
    case 504:
      return geminiError(504, 'Deadline expired before operation could complete.');
    default:
      return geminiError(status, `Fake upstream error ${status}.`);
  }
}

/**
 * ESF-style request violations: "Invalid JSON payload received. …" (payload parse errors) and
 * "* Request.field: …\n" (semantic validation). Each carries a BadRequest field violation.
 */
export interface Violation {
  /** snake_case field path, e.g. `generation_config.thinking_config`; undefined at the top level. */
  field?: string;
  description: string;
}

export function badRequest(violations: readonly Violation[]): GeminiErrorReply {
  const message = violations.map((v) => v.description).join('\n');
  return invalidArgument(message, [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: violations.map((v) => (v.field === undefined ? { description: v.description } : v)),
    },
  ]);
}
