/**
 * Which xAI key a relayed call uses, and what happens when xAI refuses it (issue "xAI relay"). The
 * caller's own key is used once, as sent. Pooled keys rotate round-robin (keys/key-pool.ts): a 429
 * cools the key down (Retry-After, else KEY_COOLDOWN_SECONDS) and a rejected key is disabled; when
 * the request can be sent again — no body, or a body the gateway holds — the next key is tried. A
 * streamed body cannot be replayed: its 429 goes back to the caller and the next request rotates on.
 */
import type { KeyPool } from '../../keys/key-pool';
import { parseRetryDelay } from '../../keys/failure-policy';
import { maskKey } from '../../keys/mask-key';
import { isRejectedKeyAnswer, noUsableXaiKeyError } from './xai-errors';
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
}

const firstValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** A compressed error body cannot be read for the key check; it just passes through. */
const isIdentityEncoded = (headers: XaiResponse['headers']): boolean => {
  const encoding = firstValue(headers['content-encoding'])?.trim().toLowerCase();
  return encoding === undefined || encoding === '' || encoding === 'identity';
};

const buffer = async (response: XaiResponse): Promise<RelayedAnswer & { buffered: Buffer }> => ({
  response,
  buffered: Buffer.from(await response.body.arrayBuffer()),
});

const reasonOf = (status: number, text: string): string =>
  `HTTP ${status} from xAI: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`;

export async function callWithXaiKey(
  options: KeyedCallOptions,
  send: (key: string) => Promise<XaiResponse>,
): Promise<RelayedAnswer> {
  const { credential, pool } = options;
  if (credential.kind === 'own') {
    options.onKey(maskKey(credential.key));
    return { response: await send(credential.key) };
  }
  const tried = new Set<string>();
  let last: RelayedAnswer | undefined;
  for (;;) {
    const lease = pool.acquire(tried);
    if (!lease) {
      // xAI's own last refusal says more than ours would.
      if (last) return last;
      throw noUsableXaiKeyError(pool.availability(), options.now());
    }
    tried.add(lease.id);
    options.onKey(lease.masked, lease.id);
    const response = await send(lease.key);
    const status = response.statusCode;

    if (status === 429) {
      const retryAfterMs = parseRetryDelay(firstValue(response.headers['retry-after']));
      pool.reportRateLimited(lease, retryAfterMs, 'HTTP 429 from xAI');
      if (!options.replayable) return { response };
      last = await buffer(response);
      continue;
    }
    if ((status === 400 || status === 401) && isIdentityEncoded(response.headers)) {
      const answer = await buffer(response);
      const text = answer.buffered.toString('utf8');
      if (!isRejectedKeyAnswer(status, text)) return answer;
      pool.reportInvalid(lease, status, reasonOf(status, text));
      if (!options.replayable) return answer;
      last = answer;
      continue;
    }
    if (status >= 500) pool.reportTransientFailure(lease, status, `HTTP ${status} from xAI`);
    else if (status < 400) pool.reportSuccess(lease);
    return { response };
  }
}
