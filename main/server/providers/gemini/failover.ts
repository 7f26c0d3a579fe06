/**
 * The retry loop around one upstream call (DESIGN §4 step 6). Each attempt leases a key the request
 * has not tried yet; the failure policy decides what happens to the key (cool down, disable) and
 * whether another attempt is allowed within the configured budgets. Nothing here ever retries once
 * the client has received a byte: the caller says so through `canRetry`.
 */
import { ApiError } from '../../errors';
import type { ClassifiedFailure } from '../../keys/failure-policy';
import type { KeyLease, KeyPool } from '../../keys/key-pool';

export type AttemptOutcome<T> =
  | { kind: 'ok'; value: T }
  /** Gemini answered, but with nothing: retried within the empty-answer budget, else returned. */
  | { kind: 'empty'; value: T }
  | { kind: 'failed'; failure: ClassifiedFailure };

export interface RetryBudget {
  rateLimited: number;
  transient: number;
  empty: number;
  delayMs: number;
}

export interface FailoverResult<T> {
  value: T;
  lease: KeyLease;
  attempts: number;
}

export interface FailoverOptions {
  pool: KeyPool;
  /** The upstream model id: keys cooling only for other models still serve it. */
  model?: string;
  budget: RetryBudget;
  signal: AbortSignal;
  now: () => number;
  /** False once bytes went to the client; then the first failure is final. */
  canRetry?: () => boolean;
  /** Called for every failed attempt, for the log. */
  onFailure?: (lease: KeyLease, failure: ClassifiedFailure) => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The error for "no key can take this request", phrased from the pool's point of view — as a request
 * for `model` sees it, so Retry-After is when a key is free for that model.
 */
export const noUsableKeyError = (
  pool: KeyPool,
  now: number,
  last?: ClassifiedFailure,
  model?: string,
): ApiError => {
  const a = pool.availability(model);
  const lastText = last ? ` Last error from Google: ${last.error.message}` : '';
  if (a.total === 0) {
    return new ApiError(
      'no_keys_available',
      'No Gemini API keys are configured. Add keys in the settings (GEMINI_API_KEYS).',
    );
  }
  if (a.cooling > 0 && a.nextAvailableAt !== null) {
    const seconds = Math.max(1, Math.ceil((a.nextAvailableAt - now) / 1000));
    return new ApiError(
      'all_keys_rate_limited',
      `All ${a.total} Gemini API keys are rate limited or unavailable${model ? ` for ${model}` : ''}; the next one is free in ${seconds} s.${lastText}`,
      { retryAfterSeconds: seconds },
    );
  }
  if (a.active === 0) {
    return new ApiError(
      'no_keys_available',
      `All ${a.total} Gemini API keys are disabled (invalid, revoked or suspended).${lastText}`,
    );
  }
  return last?.error ?? new ApiError('upstream_unavailable', 'Gemini could not take the request.');
};

/**
 * The models a 429 cools the key for; none means the whole key. The requested model is cooled with
 * the one Google named: an alias (gemini-flash-latest) spends the quota of the model it points at,
 * and would otherwise meet the same 429 on this key request after request.
 */
const modelsToCool = (failure: ClassifiedFailure, requested: string | undefined): string[] => {
  const named = failure.quotaModel;
  if (named === undefined) return [];
  return requested === undefined || requested === named ? [named] : [named, requested];
};

export async function withFailover<T>(
  options: FailoverOptions,
  attempt: (lease: KeyLease) => Promise<AttemptOutcome<T>>,
): Promise<FailoverResult<T>> {
  const { pool, model, budget, signal } = options;
  const tried = new Set<string>();
  let rateLimited = 0;
  /**
   * The 503-like failures of this request, any attempt's — not only the last one: after "A 503, then
   * B invalid", A may still answer, and the client must not get B's "invalid API key" while a healthy
   * key and retries are left.
   */
  let transient = 0;
  let empty = 0;
  let attempts = 0;
  let last: ClassifiedFailure | undefined;
  /** The latest empty answer being retried: still an answer, should no key be left to retry with. */
  let lastEmpty: { value: T; lease: KeyLease } | undefined;

  for (;;) {
    // A client gone during a retry delay takes no further key (nor counts a use of one).
    if (signal.aborted) throw new ApiError('client_closed', 'The client closed the request.');
    let lease = pool.acquire(tried, model);
    if (!lease && (transient > 0 || lastEmpty) && tried.size > 0) {
      // A 503 or an empty answer is not the key's fault: with every key tried once, a key may be used again.
      tried.clear();
      lease = pool.acquire(tried, model);
    }
    if (!lease) {
      if (lastEmpty) return { ...lastEmpty, attempts };
      throw noUsableKeyError(pool, options.now(), last, model);
    }
    tried.add(lease.id);
    attempts++;

    const outcome = await attempt(lease);
    if (signal.aborted) throw new ApiError('client_closed', 'The client closed the request.');
    if (outcome.kind === 'ok') return { value: outcome.value, lease, attempts };
    if (outcome.kind === 'empty') {
      const retry = empty++ < budget.empty && (options.canRetry?.() ?? true);
      if (!retry) return { value: outcome.value, lease, attempts };
      lastEmpty = { value: outcome.value, lease };
      pool.reportTransientFailure(lease, 200, 'Gemini returned an empty answer');
      await sleep(budget.delayMs, signal);
      continue;
    }

    const failure = outcome.failure;
    last = failure;
    options.onFailure?.(lease, failure);
    let retry: boolean;
    switch (failure.kind) {
      case 'rate_limited':
        pool.reportRateLimited(lease, failure.retryAfterMs, failure.keyReason, modelsToCool(failure, model));
        retry = rateLimited++ < budget.rateLimited;
        break;
      case 'key_invalid':
        // A dead key is skipped, not counted: the request still deserves a live key.
        pool.reportInvalid(lease, failure.error.status, failure.keyReason);
        retry = true;
        break;
      case 'transient':
        pool.reportTransientFailure(lease, failure.error.status, failure.keyReason);
        retry = transient++ < budget.transient;
        break;
      case 'fatal':
        retry = false;
        break;
    }
    if (!retry || !(options.canRetry?.() ?? true)) {
      throw failure.kind === 'key_invalid'
        ? noUsableKeyError(pool, options.now(), failure, model)
        : failure.error;
    }
    if (failure.kind === 'transient') await sleep(budget.delayMs, signal);
  }
}
