/**
 * Turns an upstream failure into three answers (DESIGN §4 step 6, wire-format §1.10 and §4.9):
 * what happens to the key (`kind` + `keyReason`), whether the retry loop may try again (`kind`),
 * and what the client finally sees (`error`). Client messages keep Google's wording because
 * clients show it, but they always pass through `redactSecrets`.
 */
import { outboundProxyFailure } from '../upstream/proxy-failure';
import { ApiError } from '../errors';
import type { GeminiErrorBody, GeminiErrorDetail } from '../providers/gemini/gemini-types';
import { redactSecrets } from '../logging/redact';
import { parseJsonOrUndefined } from '../parse-json';

export type FailureKind = 'rate_limited' | 'key_invalid' | 'transient' | 'fatal';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** Only for rate_limited, when Google said how long to wait (RetryInfo). */
  retryAfterMs?: number;
  /**
   * Only for rate_limited, when the quota that ran out is one model's (QuotaFailure): the key is still
   * good for other models. Absent when the 429 names no model, or several.
   */
  quotaModel?: string;
  error: ApiError;
  /** Short text for the key's health record (lastError / disabledReason); already redacted. */
  keyReason: string;
}

const EXCERPT_LENGTH = 200;
const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
const QUOTA_FAILURE_TYPE = 'type.googleapis.com/google.rpc.QuotaFailure';

/**
 * A protobuf Duration as JSON ("26s", "0.5s", "1.250s") in milliseconds, rounded up so a client
 * never comes back early. The fraction is read as digits, not as a float, so "0.57s" is exactly
 * 570 ms. A bare number of seconds is accepted too (a `Retry-After` header value).
 */
export function parseRetryDelay(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d{1,9})(?:\.(\d{1,9}))?s?\s*$/.exec(value);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  const fraction = match[2] ?? '';
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const hasSubMillis = /[1-9]/.test(fraction.slice(3));
  return seconds * 1000 + millis + (hasSubMillis ? 1 : 0);
}

/** Collapses whitespace, masks secrets, cuts to a length a log line and a client can take. */
const excerpt = (text: string, max = EXCERPT_LENGTH): string => {
  const flat = redactSecrets(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

type GeminiError = GeminiErrorBody['error'];

/** The `error` object of a Gemini error body, also when streamed as a JSON array (§1.6.2). */
function parseGeminiError(bodyText: string): GeminiError | undefined {
  const parsed = parseJsonOrUndefined(bodyText);
  const first: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof first !== 'object' || first === null) return undefined;
  const error = (first as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return undefined;
  return error;
}

const detailsOf = (error: GeminiError): GeminiErrorDetail[] =>
  Array.isArray(error.details)
    ? error.details.filter((d): d is GeminiErrorDetail => typeof d === 'object' && d !== null)
    : [];

const detailOfType = (error: GeminiError, type: string): GeminiErrorDetail | undefined =>
  detailsOf(error).find((d) => d['@type'] === type);

/**
 * The one model every quota violation names (`quotaDimensions.model`, wire-format §1.10), without a
 * `models/` prefix. A violation without a model is a quota of the whole project — the key is spent for
 * every model — and violations naming different models leave no single model to blame.
 */
function quotaModelOf(error: GeminiError): string | undefined {
  const violations: unknown[] = detailsOf(error)
    .filter((d) => d['@type'] === QUOTA_FAILURE_TYPE)
    .flatMap((d) => (Array.isArray(d.violations) ? (d.violations as unknown[]) : []));
  let model: string | undefined;
  for (const violation of violations) {
    const named = (violation as { quotaDimensions?: { model?: unknown } } | null)?.quotaDimensions?.model;
    if (typeof named !== 'string' || named.trim() === '') return undefined;
    const id = named.trim().replace(/^models\//, '');
    if (model !== undefined && model !== id) return undefined;
    model = id;
  }
  return model;
}

const kindForStatus = (status: number): FailureKind => {
  if (status === 429) return 'rate_limited';
  // Not a 403: without Google's error body it is a proxy's or a firewall's (a region block, say),
  // which no other key would get past either.
  if (status === 401) return 'key_invalid';
  if (status >= 400 && status < 500) return 'fatal';
  // 5xx, and statuses no API should fail with (1xx–3xx): possibly a proxy hiccup, worth another key.
  return 'transient';
};

/** Why a 400/401/403 means "this key is unusable", or undefined when the request itself is at fault. */
function invalidKeyReason(status: number, error: GeminiError): string | undefined {
  const message = typeof error.message === 'string' ? error.message : '';
  const reason = detailOfType(error, ERROR_INFO_TYPE)?.reason;
  // Anchored: Google repeats a request's unknown field names in its 400s ('Unknown name "API key not
  // valid" at …'), so a message merely containing the words would let any caller disable every key.
  if (reason === 'API_KEY_INVALID' || /^API key not valid/i.test(message)) return 'API key not valid';
  if (/^API Key not found/i.test(message)) return 'API key not found';
  if (status === 400) return undefined;
  if (status === 401) return 'API key rejected as unauthenticated (401)';
  if (/reported as leaked/i.test(message)) return 'API key reported as leaked';
  if (reason === 'CONSUMER_SUSPENDED' || /suspended/i.test(message)) return 'API key consumer suspended';
  if (/unregistered callers/i.test(message)) return 'API key missing or not accepted (unregistered caller)';
  if (reason === 'SERVICE_DISABLED' || reason === 'API_KEY_SERVICE_BLOCKED') {
    return `Generative Language API not enabled for this key (${reason})`;
  }
  // Google names restrictions on the key itself API_KEY_* (IP, referrer, app, service blocked).
  if (typeof reason === 'string' && reason.startsWith('API_KEY_')) return `API key restricted (${reason})`;
  // Any other 403 is about this request — a model the project may not use ("The caller does not have
  // permission"), a file (…"or it may not exist") — and goes back to the client: disabling the key
  // for it would take the whole pool down, for every model, one request at a time.
  return undefined;
}

/** The client-facing error for a key Google refused (wire-format §4.9). */
function invalidKeyError(status: number, message: string): ApiError {
  if (status === 403 && !/unregistered callers/i.test(message)) {
    return new ApiError('permission_denied', message);
  }
  return new ApiError('invalid_api_key', message);
}

function transientError(status: number, message: string): ApiError {
  switch (status) {
    case 500:
      return new ApiError('upstream_server_error', message);
    case 502:
      return new ApiError('upstream_bad_response', message);
    case 503:
      return new ApiError('upstream_unavailable', message);
    case 504:
      return new ApiError('upstream_timeout', message);
    default:
      return new ApiError('upstream_server_error', message, { status: status >= 500 ? status : 502 });
  }
}

export function classifyHttpFailure(status: number, bodyText: string): ClassifiedFailure {
  const error = parseGeminiError(bodyText);
  if (!error) {
    const shown = bodyText.trim() === '' ? '(empty body)' : excerpt(bodyText);
    const message = `Gemini answered HTTP ${status} with a body that is not a Gemini error: ${shown}`;
    return {
      kind: kindForStatus(status),
      error: new ApiError('upstream_bad_response', message),
      keyReason: message,
    };
  }

  const grpcStatus = typeof error.status === 'string' ? error.status : '';
  const rawMessage =
    typeof error.message === 'string' && error.message.trim() !== ''
      ? error.message
      : `Gemini answered HTTP ${status}${grpcStatus ? ` ${grpcStatus}` : ''}.`;
  const message = redactSecrets(rawMessage);
  const keyReason = `HTTP ${status}${grpcStatus ? ` ${grpcStatus}` : ''}: ${excerpt(rawMessage)}`;

  if (status === 429) {
    const retryDelay = detailOfType(error, RETRY_INFO_TYPE)?.retryDelay;
    const retryAfterMs = parseRetryDelay(typeof retryDelay === 'string' ? retryDelay : undefined);
    const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    const quotaModel = quotaModelOf(error);
    return {
      kind: 'rate_limited',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(quotaModel === undefined ? {} : { quotaModel }),
      error: new ApiError('rate_limit_exceeded', message, { retryAfterSeconds }),
      keyReason,
    };
  }

  if (status === 400 || status === 401 || status === 403) {
    const reason = invalidKeyReason(status, error);
    if (reason !== undefined) {
      return { kind: 'key_invalid', error: invalidKeyError(status, message), keyReason: reason };
    }
    const code = status === 403 ? 'permission_denied' : 'upstream_invalid_request';
    return { kind: 'fatal', error: new ApiError(code, message), keyReason };
  }

  if (status === 404) return { kind: 'fatal', error: new ApiError('model_not_found', message), keyReason };

  if (status >= 400 && status < 500) {
    return { kind: 'fatal', error: new ApiError('upstream_invalid_request', message, { status }), keyReason };
  }

  return { kind: 'transient', error: transientError(status, message), keyReason };
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);

const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

/** Words for the causes people meet; anything else is named by its code. */
const CAUSE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EPIPE: 'connection closed while sending',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ETIMEDOUT: 'timed out',
  ESOCKETTIMEDOUT: 'socket timed out',
};

interface ErrorFacts {
  code: string | undefined;
  name: string | undefined;
  message: string | undefined;
}

/** undici and node wrap errors (`cause`, AggregateError from happy eyeballs): look a few levels deep. */
function factsOf(err: unknown): ErrorFacts {
  const facts: ErrorFacts = { code: undefined, name: undefined, message: undefined };
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const e = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    facts.code ??= typeof e.code === 'string' ? e.code : undefined;
    facts.name ??= typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
    facts.message ??= typeof e.message === 'string' && e.message !== '' ? e.message : undefined;
    if (facts.code !== undefined) break;
    current = e.cause ?? (Array.isArray(e.errors) ? (e.errors as unknown[])[0] : undefined);
  }
  return facts;
}

/** Error messages can carry the request URL, whose query may hold `key=`: drop queries, mask the rest. */
const safeDetail = (text: string): string =>
  excerpt(text.replace(/(https?:\/\/[^\s?#"']*)[?#][^\s"']*/gi, '$1'));

export function classifyNetworkFailure(err: unknown): ClassifiedFailure {
  const proxy = outboundProxyFailure(err, 'Gemini');
  if (proxy !== undefined) {
    const kind = proxy.fatal ? 'fatal' : 'transient';
    return { kind, error: new ApiError('upstream_unreachable', proxy.text), keyReason: proxy.text };
  }
  const { code, name, message } = factsOf(err);
  const cause = code ?? name ?? 'unknown error';
  const described = code && CAUSE_TEXT[code] ? `${CAUSE_TEXT[code]} (${code})` : cause;
  const detail = !code && message ? `: ${safeDetail(message)}` : '';

  if ((code && TIMEOUT_CODES.has(code)) || name === 'TimeoutError') {
    const text = `Gemini did not answer in time: ${described}.`;
    return { kind: 'transient', error: new ApiError('upstream_timeout', text), keyReason: text };
  }
  if ((code && ABORT_CODES.has(code)) || name === 'AbortError') {
    // The caller cancelled (client gone): nothing to retry and nothing the key did wrong.
    const text = 'The request to Gemini was aborted.';
    return { kind: 'fatal', error: new ApiError('upstream_unreachable', text), keyReason: text };
  }
  const text = `Could not reach Gemini: ${described}${detail}.`;
  return { kind: 'transient', error: new ApiError('upstream_unreachable', text), keyReason: text };
}
