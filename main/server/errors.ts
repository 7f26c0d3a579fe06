/**
 * The error catalogue (DESIGN §7): every failure Gemgate reports has a stable code with one HTTP
 * status, one OpenAI `type`, one gRPC status name (for Gemini-dialect routes) and a retryable flag.
 * Handlers throw `ApiError`; the error handler renders it in the caller's dialect.
 */

interface CatalogueEntry {
  status: number;
  type: string;
  grpcStatus: string;
  retryable: boolean;
}

const entry = (status: number, type: string, grpcStatus: string, retryable = false): CatalogueEntry => ({
  status,
  type,
  grpcStatus,
  retryable,
});

export const errorCatalogue = {
  invalid_json: entry(400, 'invalid_request_error', 'INVALID_ARGUMENT'),
  invalid_request: entry(400, 'invalid_request_error', 'INVALID_ARGUMENT'),
  unsupported_parameter: entry(400, 'invalid_request_error', 'INVALID_ARGUMENT'),
  invalid_image_url: entry(400, 'invalid_request_error', 'INVALID_ARGUMENT'),
  upstream_invalid_request: entry(400, 'invalid_request_error', 'INVALID_ARGUMENT'),
  invalid_api_key: entry(401, 'invalid_request_error', 'UNAUTHENTICATED'),
  access_key_disabled: entry(401, 'invalid_request_error', 'UNAUTHENTICATED'),
  access_key_expired: entry(401, 'invalid_request_error', 'UNAUTHENTICATED'),
  access_key_exhausted: entry(401, 'invalid_request_error', 'UNAUTHENTICATED'),
  admin_unauthorized: entry(401, 'invalid_request_error', 'UNAUTHENTICATED'),
  permission_denied: entry(403, 'permission_error', 'PERMISSION_DENIED'),
  ip_blocked: entry(403, 'permission_error', 'PERMISSION_DENIED'),
  not_found: entry(404, 'invalid_request_error', 'NOT_FOUND'),
  model_not_found: entry(404, 'invalid_request_error', 'NOT_FOUND'),
  method_not_allowed: entry(405, 'invalid_request_error', 'UNIMPLEMENTED'),
  request_too_large: entry(413, 'invalid_request_error', 'INVALID_ARGUMENT'),
  unsupported_media_type: entry(415, 'invalid_request_error', 'INVALID_ARGUMENT'),
  rate_limit_exceeded: entry(429, 'rate_limit_error', 'RESOURCE_EXHAUSTED', true),
  auth_attempts_exceeded: entry(429, 'rate_limit_error', 'RESOURCE_EXHAUSTED', true),
  all_keys_rate_limited: entry(429, 'rate_limit_error', 'RESOURCE_EXHAUSTED', true),
  internal_error: entry(500, 'server_error', 'INTERNAL', true),
  upstream_server_error: entry(500, 'server_error', 'INTERNAL', true),
  upstream_bad_response: entry(502, 'server_error', 'UNAVAILABLE', true),
  upstream_unreachable: entry(502, 'server_error', 'UNAVAILABLE', true),
  upstream_unavailable: entry(503, 'server_error', 'UNAVAILABLE', true),
  no_keys_available: entry(503, 'server_error', 'UNAVAILABLE', true),
  /** The image storage is misconfigured or unreachable (its problem() says why): not the caller's fault. */
  storage_unavailable: entry(503, 'server_error', 'UNAVAILABLE', true),
  upstream_timeout: entry(504, 'server_error', 'DEADLINE_EXCEEDED', true),
  /** Nobody will read it: the client disconnected. 499 is nginx's convention for that. */
  client_closed: entry(499, 'invalid_request_error', 'CANCELLED'),
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ApiErrorOptions {
  param?: string | null;
  /** Seconds the client should wait, sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** Overrides the catalogue status, e.g. to pass an upstream 4xx through unchanged. */
  status?: number;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly grpcStatus: string;
  readonly retryable: boolean;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const info = errorCatalogue[code];
    this.name = 'ApiError';
    this.code = code;
    this.status = options.status ?? info.status;
    this.type = info.type;
    this.grpcStatus = info.grpcStatus;
    this.retryable = info.retryable;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export const toOpenAIError = (err: ApiError): OpenAIErrorBody => ({
  error: { message: err.message, type: err.type, param: err.param, code: err.code },
});

export interface GeminiStyleErrorBody {
  error: { code: number; message: string; status: string };
}

export const toGeminiError = (err: ApiError): GeminiStyleErrorBody => ({
  error: { code: err.status, message: err.message, status: err.grpcStatus },
});

/** Anything thrown that is not an ApiError is a bug or an I/O fault: report it without its details. */
export const asApiError = (err: unknown): ApiError =>
  err instanceof ApiError
    ? err
    : new ApiError('internal_error', 'The gateway hit an internal error; details are in its log.', {
        cause: err,
      });
