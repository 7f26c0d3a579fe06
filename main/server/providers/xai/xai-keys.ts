/**
 * Which xAI key a relayed call uses, and what happens when xAI refuses it (issue "xAI relay"). The
 * caller's own key is used once, as sent. Pooled keys rotate round-robin (keys/key-pool.ts): a 429
 * cools the key down (Retry-After, else KEY_COOLDOWN_SECONDS), so does a 403 (wire-format §5.6: a
 * team without credits, or without access to the model — it may pass, so never a disable), and a
 * rejected key is disabled; each of these is logged with the masked key and xAI's reason. When the
 * request can be sent again — no body, or a body the gateway holds — the next key is tried. A
 * streamed body cannot be replayed: its refusal goes back to the caller and the next request
 * rotates on.
 */
import type { KeyLease, KeyPool } from '../../keys/key-pool';
import { parseRetryDelay } from '../../keys/failure-policy';
import { maskKey } from '../../keys/mask-key';
import { redactSecrets } from '../../logging/redact';
import { errorMessageOf, isRejectedKeyAnswer, noUsableXaiKeyError } from './xai-errors';
import type { XaiResponse } from './xai-client';

export type XaiCredential = { kind: 'own'; key: string } | { kind: 'pooled' };

export interface RelayedAnswer {
  response: XaiResponse;
  /** The body, when it had to be read to judge the answer (then `response.body` is consumed). */
  buffered?: Buffer;
}

export interface KeyedCallOptions {
  pool: KeyPool;
  now: () => number;
  credential: XaiCredential;
  /** The call can be repeated with another key (nothing was streamed from the caller). */
  replayable: boolean;
  /** Told the masked key of each attempt (and a pooled key's id), for the request log and usage. */
  onKey: (masked: string, id?: string) => void;
  /** Told, with the key masked, why a pooled key was cooled down or disabled (the log). */
  warn: (message: string) => void;
  /**
   * What the request is for, as far as a 403 goes: the model its body names, else its method and
   * path. A 403 cools the key for this scope only — a team may lack access to one model, a key may
   * be limited to some endpoints, and neither should take the key away from the rest; a team out of
   * credits is found again, one refused call per scope and cooldown. Without a scope, the whole key.
   */
  scope?: string;
}

const firstValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/**
 * Pooled calls ask for uncompressed answers (relay-headers.ts); a body compressed all the same
 * cannot be read for the key check and passes through as it came.
 */
const isIdentityEncoded = (headers: XaiResponse['headers']): boolean => {
  const encoding = firstValue(headers['content-encoding'])?.trim().toLowerCase();
  return encoding === undefined || encoding === '' || encoding === 'identity';
};

const buffer = async (response: XaiResponse): Promise<RelayedAnswer & { buffered: Buffer }> => ({
  response,
  buffered: Buffer.from(await response.body.arrayBuffer()),
});

/** The status with xAI's own message (`{code, error}`), else the start of the body, if any. */
const reasonOf = (status: number, text: string): string => {
  const detail = (errorMessageOf(text) ?? text).replace(/\s+/g, ' ').trim().slice(0, 200);
  return detail === '' ? `HTTP ${status} from xAI` : `HTTP ${status} from xAI: ${detail}`;
};

/**
 * Whole seconds until the cooldown just reported ends, for the log: the scope's (403) or the whole
 * key's (429, or a 403 without a scope) — not the key's longest, which may be another scope's.
 */
const restSeconds = (pool: KeyPool, lease: KeyLease, now: number, scope?: string): number => {
  const until = pool.cooldownEnd(lease.id, scope) ?? now;
  return Math.max(0, Math.ceil((until - now) / 1000));
};

export async function callWithXaiKey(
  options: KeyedCallOptions,
  send: (key: string) => Promise<XaiResponse>,
): Promise<RelayedAnswer> {
  const { credential, pool, scope } = options;
  if (credential.kind === 'own') {
    options.onKey(maskKey(credential.key));
    return { response: await send(credential.key) };
  }
  const tried = new Set<string>();
  let last: RelayedAnswer | undefined;
  // The reason may quote the key (xAI masks it, a relay in front of xAI might not).
  const warn = (lease: KeyLease, what: string, reason: string) =>
    options.warn(`xAI key ${lease.masked} ${what}: ${redactSecrets(reason, [lease.key])}`);
  for (;;) {
    const lease = pool.acquire(tried, scope);
    if (!lease) {
      // xAI's own last refusal says more than ours would.
      if (last) return last;
      throw noUsableXaiKeyError(pool.availability(scope), options.now(), scope);
    }
    tried.add(lease.id);
    options.onKey(lease.masked, lease.id);
    const response = await send(lease.key);
    const status = response.statusCode;

    if (status === 429) {
      const retryAfterMs = parseRetryDelay(firstValue(response.headers['retry-after']));
      pool.reportRateLimited(lease, retryAfterMs, 'HTTP 429 from xAI');
      warn(lease, `cooled down for ${restSeconds(pool, lease, options.now())} s`, 'HTTP 429 from xAI');
      if (!options.replayable) return { response };
      last = await buffer(response);
      continue;
    }
    if (status === 403) {
      // Read (an error body is small) for the reason; a compressed one is kept as it came.
      const answer = await buffer(response);
      const reason = reasonOf(
        403,
        isIdentityEncoded(response.headers) ? answer.buffered.toString('utf8') : '',
      );
      pool.reportRefused(lease, 403, reason, scope === undefined ? [] : [scope]);
      const rest = restSeconds(pool, lease, options.now(), scope);
      warn(lease, `cooled down for ${rest} s${scope === undefined ? '' : ` for ${scope}`}`, reason);
      if (!options.replayable) return answer;
      last = answer;
      continue;
    }
    if ((status === 400 || status === 401) && isIdentityEncoded(response.headers)) {
      const answer = await buffer(response);
      const text = answer.buffered.toString('utf8');
      if (!isRejectedKeyAnswer(status, text)) return answer;
      const reason = reasonOf(status, text);
      pool.reportInvalid(lease, status, reason);
      warn(lease, 'disabled', reason);
      if (!options.replayable) return answer;
      last = answer;
      continue;
    }
    if (status >= 500) pool.reportTransientFailure(lease, status, `HTTP ${status} from xAI`);
    else if (status < 400) pool.reportSuccess(lease);
    return { response };
  }
}
