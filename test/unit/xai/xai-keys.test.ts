/**
 * xai-keys.ts with a real KeyPool (fake clock) and scripted answers: the caller's own key is used
 * once as sent; pooled keys rotate, a 429 or a 403 cools a key down and moves on when the call can
 * be repeated, a key xAI rejects is disabled, each logged with the masked key, and xAI's last
 * refusal is what the caller sees.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { KeyPool } from '../../../main/server/keys/key-pool';
import type { XaiResponse } from '../../../main/server/providers/xai/xai-client';
import { isRejectedKeyAnswer, xaiNetworkError } from '../../../main/server/providers/xai/xai-errors';
import { callWithXaiKey, type XaiCredential } from '../../../main/server/providers/xai/xai-keys';

const K1 = 'xai-pooled-key-number-one';
const K2 = 'xai-pooled-key-number-two';

const answer = (status: number, body = '', headers: Record<string, string> = {}): XaiResponse => {
  const stream = Readable.from([Buffer.from(body)]);
  return {
    statusCode: status,
    headers,
    body: Object.assign(stream, {
      arrayBuffer: async () => {
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        const all = Buffer.concat(chunks);
        return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      },
    }),
  } as unknown as XaiResponse;
};

function setup(keys = [K1, K2]) {
  let now = 1_000_000;
  const pool = new KeyPool(keys, { now: () => now, defaultCooldownMs: 60_000 });
  const used: string[] = [];
  const masked: string[] = [];
  const logged: string[] = [];
  const call = (
    credential: XaiCredential,
    script: (key: string, attempt: number) => XaiResponse,
    replayable = true,
    scope?: string,
  ) =>
    callWithXaiKey(
      {
        pool,
        now: () => now,
        credential,
        replayable,
        onKey: (m) => masked.push(m),
        warn: (m) => logged.push(m),
        scope,
      },
      async (key) => {
        used.push(key);
        return script(key, used.length);
      },
    );
  return { pool, used, masked, logged, call, advance: (ms: number) => (now += ms) };
}

/** xAI's 403 for a team without credits (wire-format §5.6; the message as seen in the wild). */
const NO_CREDITS = JSON.stringify({
  code: 'The caller does not have permission to execute the specified operation',
  error: "Your newly created team doesn't have any credits yet.",
});

const statusOf = (pool: KeyPool, key: string) => pool.health().find((h) => pool.keyOf(h.id) === key)?.status;

describe('callWithXaiKey', () => {
  it("the caller's own key: used once, as sent, whatever the answer; the pool is untouched", async () => {
    const { pool, used, masked, call } = setup();
    const result = await call({ kind: 'own', key: 'xai-callers-own-key-1234' }, () => answer(429));
    expect(result.response.statusCode).toBe(429);
    expect(used).toEqual(['xai-callers-own-key-1234']);
    expect(masked).toEqual(['xai-…1234']);
    expect(pool.health().every((h) => h.requests === 0)).toBe(true);
  });

  it('pooled keys rotate round-robin and count successes', async () => {
    const { pool, used, call } = setup();
    for (let i = 0; i < 4; i++) await call({ kind: 'pooled' }, () => answer(200));
    expect(used).toEqual([K1, K2, K1, K2]);
    expect(pool.health().map((h) => h.successes)).toEqual([2, 2]);
  });

  it('429 → the key cools down (Retry-After) and a replayable call moves on to the next key', async () => {
    const { pool, used, call, advance } = setup();
    const result = await call({ kind: 'pooled' }, (key) =>
      key === K1 ? answer(429, 'busy', { 'retry-after': '30' }) : answer(200),
    );
    expect(result.response.statusCode).toBe(200);
    expect(used).toEqual([K1, K2]);
    expect(statusOf(pool, K1)).toBe('cooling');
    await call({ kind: 'pooled' }, () => answer(200));
    expect(used.at(-1)).toBe(K2);
    advance(30_000);
    expect(statusOf(pool, K1)).toBe('active');
  });

  it('a streamed (non-replayable) call returns its 429; the next call uses the next key', async () => {
    const { pool, used, call } = setup();
    const result = await call({ kind: 'pooled' }, () => answer(429), false);
    expect(result.response.statusCode).toBe(429);
    expect(result.buffered).toBeUndefined();
    expect(statusOf(pool, K1)).toBe('cooling');
    await call({ kind: 'pooled' }, () => answer(200), false);
    expect(used).toEqual([K1, K2]);
  });

  it("every key rate limited → xAI's last 429 (read into memory); none left at all → the gateway's own 429", async () => {
    const { call } = setup();
    const last = await call({ kind: 'pooled' }, (_k, attempt) => answer(429, `busy ${attempt}`));
    expect(last.response.statusCode).toBe(429);
    expect(last.buffered?.toString()).toBe('busy 2');
    const refused = await call({ kind: 'pooled' }, () => answer(200)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'all_keys_rate_limited', status: 429, retryAfterSeconds: 60 });
  });

  it('a key xAI rejects (400 Incorrect API key) is disabled and the next key used', async () => {
    const { pool, call } = setup();
    const rejected =
      '{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***ne."}';
    const result = await call({ kind: 'pooled' }, (key) =>
      key === K1 ? answer(400, rejected) : answer(200),
    );
    expect(result.response.statusCode).toBe(200);
    expect(statusOf(pool, K1)).toBe('disabled');
    expect(pool.health()[0]?.disabledReason).toContain('Incorrect API key');
  });

  it("any other 400 is the request's fault: returned (from memory), the key stays active", async () => {
    const { pool, used, call } = setup();
    const result = await call({ kind: 'pooled' }, () => answer(400, '{"code":"x","error":"bad n"}'));
    expect(result.buffered?.toString()).toBe('{"code":"x","error":"bad n"}');
    expect(used).toEqual([K1]);
    expect(statusOf(pool, K1)).toBe('active');
  });

  it('a 429 that cools a key is logged with the masked key and the rest', async () => {
    const { logged, call } = setup();
    await call({ kind: 'pooled' }, (key) =>
      key === K1 ? answer(429, 'busy', { 'retry-after': '30' }) : answer(200),
    );
    expect(logged).toEqual(['xAI key xai-…-one cooled down for 30 s: HTTP 429 from xAI']);
  });

  it('403 (no credits) → the key cools down, never disabled, the reason kept and logged; the next key answers', async () => {
    const { pool, used, logged, call, advance } = setup();
    const result = await call({ kind: 'pooled' }, (key) =>
      key === K1 ? answer(403, NO_CREDITS) : answer(200),
    );
    expect(result.response.statusCode).toBe(200);
    expect(used).toEqual([K1, K2]);
    const reason = "HTTP 403 from xAI: Your newly created team doesn't have any credits yet.";
    expect(pool.health()[0]).toMatchObject({
      status: 'cooling',
      disabledReason: null,
      lastError: { status: 403, message: reason },
    });
    expect(logged).toEqual([`xAI key xai-…-one cooled down for 60 s: ${reason}`]);
    await call({ kind: 'pooled' }, () => answer(200));
    expect(used.at(-1)).toBe(K2);
    advance(60_000);
    expect(statusOf(pool, K1)).toBe('active');
  });

  it('403 for a scope (a model, or a method and path) cools the key for that scope only', async () => {
    const { used, logged, call } = setup();
    await call(
      { kind: 'pooled' },
      (key) => (key === K1 ? answer(403, NO_CREDITS) : answer(200)),
      true,
      'grok-4',
    );
    expect(logged[0]).toContain('cooled down for 60 s for grok-4:');
    await call({ kind: 'pooled' }, () => answer(200), true, 'grok-3-mini');
    await call({ kind: 'pooled' }, () => answer(200), true, 'grok-4');
    expect(used).toEqual([K1, K2, K1, K2]);
  });

  it('each log line gives the rest of the cooldown it reports, not the key’s longest (another scope’s)', async () => {
    const { pool, logged, call } = setup();
    const refuseK1 =
      (status: number, headers: Record<string, string> = {}) =>
      (key: string) =>
        key === K1 ? answer(status, NO_CREDITS, headers) : answer(200);
    pool.setDefaultCooldownMs(599_000);
    await call({ kind: 'pooled' }, refuseK1(403), true, 'grok-4');
    pool.setDefaultCooldownMs(60_000);
    await call({ kind: 'pooled' }, refuseK1(403), true, 'grok-3-mini');
    await call({ kind: 'pooled' }, refuseK1(429, { 'retry-after': '30' }), true, 'grok-3');
    expect(logged.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'xAI key xai-…-one cooled down for 599 s for grok-4',
      'xAI key xai-…-one cooled down for 60 s for grok-3-mini',
      'xAI key xai-…-one cooled down for 30 s',
    ]);
  });

  it('a streamed (non-replayable) call returns its 403 from memory; the key cools all the same', async () => {
    const { pool, used, call } = setup();
    const result = await call({ kind: 'pooled' }, () => answer(403, NO_CREDITS), false);
    expect(result.response.statusCode).toBe(403);
    expect(result.buffered?.toString()).toBe(NO_CREDITS);
    expect(used).toEqual([K1]);
    expect(statusOf(pool, K1)).toBe('cooling');
  });

  it("every key 403 → xAI's last 403; then the gateway's own 429 with the time the next key is free", async () => {
    const { call, advance } = setup();
    const last = await call({ kind: 'pooled' }, () => answer(403, NO_CREDITS));
    expect(last.response.statusCode).toBe(403);
    expect(last.buffered?.toString()).toBe(NO_CREDITS);
    advance(10_000);
    const refused = await call({ kind: 'pooled' }, () => answer(200)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'all_keys_rate_limited', status: 429, retryAfterSeconds: 50 });
    expect((refused as ApiError).message).toContain('403');
  });

  it('a disabled key is logged with the masked key and the reason, never the key', async () => {
    const { logged, call } = setup();
    const rejected =
      '{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***ne."}';
    await call({ kind: 'pooled' }, (key) => (key === K1 ? answer(400, rejected) : answer(200)));
    expect(logged).toEqual([
      'xAI key xai-…-one disabled: HTTP 400 from xAI: Incorrect API key provided: xa***ne.',
    ]);
    expect(logged.join()).not.toContain(K1);
  });

  it('all keys disabled → 503 no_keys_available', async () => {
    const { pool, call } = setup();
    for (const h of pool.health()) pool.disable(h.id, 'test');
    await expect(call({ kind: 'pooled' }, () => answer(200))).rejects.toMatchObject({
      code: 'no_keys_available',
    });
  });
});

describe('xai-errors', () => {
  it('isRejectedKeyAnswer: 401, or 400 about the key', () => {
    expect(isRejectedKeyAnswer(401, '')).toBe(true);
    expect(isRejectedKeyAnswer(400, '{"error":"Incorrect API key provided: xa***yz."}')).toBe(true);
    expect(isRejectedKeyAnswer(400, '{"error":"n must be between 1 and 10"}')).toBe(false);
    expect(isRejectedKeyAnswer(403, 'Incorrect API key')).toBe(false);
    // OpenAI's envelope, as some relays in front of xAI answer.
    expect(isRejectedKeyAnswer(400, '{"error":{"message":"Invalid API key provided"}}')).toBe(true);
    // An error quoting the request (here a model name a caller chose) is the request's fault.
    expect(
      isRejectedKeyAnswer(
        400,
        '{"error":"The model incorrect api key does not exist or you do not have access to it."}',
      ),
    ).toBe(false);
    expect(isRejectedKeyAnswer(400, 'Incorrect API key provided (not JSON)')).toBe(false);
  });

  it('xaiNetworkError: client gone → 499, timeouts → 504, anything else → 502', () => {
    const aborted = AbortSignal.abort();
    const live = new AbortController().signal;
    expect(xaiNetworkError(new Error('x'), aborted).code).toBe('client_closed');
    expect(
      xaiNetworkError(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), live).status,
    ).toBe(504);
    const refused = xaiNetworkError({ cause: { code: 'ECONNREFUSED' } }, live);
    expect(refused.status).toBe(502);
    expect(refused.message).toBe('Could not reach xAI (ECONNREFUSED).');
  });
});
