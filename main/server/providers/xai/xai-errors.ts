/**
 * The relay's own refusals and failures, in the OpenAI shape like every gateway error (DESIGN §7).
 * xAI's own error answers are never rewritten: they pass through with their status and body.
 */
import { ApiError } from '../../errors';
import type { KeyAvailability } from '../../keys/key-pool';
import { outboundProxyFailure } from '../../upstream/proxy-failure';
import { parseJsonOrUndefined } from '../../parse-json';

export const noPooledXaiKeysError = (): ApiError =>
  new ApiError(
    'invalid_api_key',
    'This gateway has no xAI API keys (XAI_API_KEYS is empty), so its password or access keys cannot be used on /xai/v1. Send your own xAI API key instead (Authorization: Bearer xai-…).',
  );

export const missingXaiKeyError = (): ApiError =>
  new ApiError(
    'invalid_api_key',
    'Missing API key. Send your xAI API key, or the gateway password or an access key, as the API key (Authorization: Bearer <key>).',
  );

/** A token that is neither the gateway's password, an access key, nor shaped like an xAI key. */
export const unrecognisedXaiTokenError = (): ApiError =>
  new ApiError(
    'invalid_api_key',
    "Incorrect API key: it is not this gateway's password or an access key, and not an xAI API key (those start with xai-).",
  );

/**
 * Every pooled key is cooling down or disabled (`a` as a request for `scope` — its model, or its
 * method and path — sees the pool). A key cools after a 429, or after a 403 (wire-format §5.6: no
 * credits, or no access): both pass, so the answer is a 429 with the time the next key is free.
 */
export function noUsableXaiKeyError(a: KeyAvailability, now: number, scope?: string): ApiError {
  if (a.total === 0) return noPooledXaiKeysError();
  if (a.cooling > 0 && a.nextAvailableAt !== null) {
    const seconds = Math.max(1, Math.ceil((a.nextAvailableAt - now) / 1000));
    return new ApiError(
      'all_keys_rate_limited',
      `All ${a.total} xAI API keys are cooling down after xAI refused them${scope === undefined ? '' : ` for ${scope}`} (429: rate limited, or 403: no credits or no access); the next one is free in ${seconds} s.`,
      { retryAfterSeconds: seconds },
    );
  }
  return new ApiError(
    'no_keys_available',
    `All ${a.total} xAI API keys are disabled (rejected by xAI). Check XAI_API_KEYS.`,
  );
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

const codeOf = (err: unknown): string | undefined => {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string') return e.code;
    current = e.cause ?? (Array.isArray(e.errors) ? (e.errors as unknown[])[0] : undefined);
  }
  return undefined;
};

/** A failed call to xAI (no answer at all), as the client sees it. Never echoes the URL or key. */
export function xaiNetworkError(err: unknown, signal: AbortSignal): ApiError {
  if (signal.aborted) return new ApiError('client_closed', 'The client closed the request.');
  const proxy = outboundProxyFailure(err, 'xAI');
  if (proxy !== undefined) return new ApiError('upstream_unreachable', proxy.text, { cause: err });
  const code = codeOf(err) ?? 'unknown error';
  if (TIMEOUT_CODES.has(code)) {
    return new ApiError('upstream_timeout', `xAI did not answer in time (${code}).`, { cause: err });
  }
  return new ApiError('upstream_unreachable', `Could not reach xAI (${code}).`, { cause: err });
}

/**
 * Whether an xAI answer says the key itself is unusable (wire-format §5.6: an unknown key is a 400
 * "Incorrect API key provided", not a 401). Other 400s are the request's fault and leave the key be.
 */
export function isRejectedKeyAnswer(status: number, bodyText: string): boolean {
  if (status === 401) return true;
  if (status !== 400) return false;
  // The error's own message must say so, from its first word: an error that quotes the request (a
  // model name, a field) could otherwise contain the words, and a caller could disable pooled keys.
  const message = errorMessageOf(bodyText);
  return message !== undefined && REJECTED_KEY.test(message);
}

const REJECTED_KEY = /^(?:incorrect api key|invalid api key|api key (?:is )?(?:invalid|not valid))/i;

/** `error` as xAI sends it (a string), or OpenAI's `error.message`; undefined for anything else. */
export function errorMessageOf(bodyText: string): string | undefined {
  const body = parseJsonOrUndefined(bodyText);
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error === 'string') return error.trim();
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string')
    return error.message.trim();
  return undefined;
}
