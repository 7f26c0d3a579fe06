/** The failover loop with the real pool: which models a 429 cools, and the error when no key is left. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { classifyHttpFailure } from '../../../main/server/keys/failure-policy';
import { KeyPool, type KeyLease } from '../../../main/server/keys/key-pool';
import { withFailover, type AttemptOutcome } from '../../../main/server/providers/gemini/failover';

const KEYS = ['AIzaFAKE-model-key-0001', 'AIzaFAKE-model-key-0002'];
const BUDGET = { rateLimited: 5, transient: 0, empty: 0, delayMs: 0 };

const quota429 = (model: string | undefined) =>
  JSON.stringify({
    error: {
      code: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              quotaDimensions: model === undefined ? { location: 'global' } : { location: 'global', model },
              quotaValue: '5',
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' },
      ],
    },
  });

function setup() {
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const pool = new KeyPool(KEYS, { now: clock.now, defaultCooldownMs: 60_000 });
  /** One request for `model`; `answer` stands for Google's answer to each attempt. */
  const run = (model: string, answer: (lease: KeyLease) => AttemptOutcome<string>) =>
    withFailover(
      { pool, model, budget: BUDGET, signal: new AbortController().signal, now: clock.now },
      (lease) => Promise.resolve(answer(lease)),
    );
  const refuse = (named: string | undefined) => (): AttemptOutcome<string> => ({
    kind: 'failed',
    failure: classifyHttpFailure(429, quota429(named)),
  });
  const serve = (lease: KeyLease): AttemptOutcome<string> => ({ kind: 'ok', value: lease.key });
  const upstreamCalls = { count: 0 };
  /** `serve`, counting the upstream calls made. */
  const counted = (lease: KeyLease): AttemptOutcome<string> => {
    upstreamCalls.count++;
    return serve(lease);
  };
  return { pool, clock, run, refuse, serve, counted, upstreamCalls };
}

describe('withFailover and per-model cooldowns', () => {
  it('a 429 for pro leaves flash on the same keys; pro is refused with the time pro is free again', async () => {
    const { clock, run, refuse, serve, counted, upstreamCalls } = setup();
    const refused = await run('gemini-2.5-pro', refuse('gemini-2.5-pro')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'all_keys_rate_limited', retryAfterSeconds: 30 });
    expect((refused as ApiError).message).toMatch(/All 2 Gemini API keys .* for gemini-2\.5-pro; .* 30 s/);

    expect((await run('gemini-2.5-flash', serve)).value).toBe(KEYS[0]);
    expect((await run('gemini-2.5-flash', serve)).value).toBe(KEYS[1]);

    clock.advance(12_000);
    const again = await run('gemini-2.5-pro', counted).catch((e: unknown) => e);
    expect(upstreamCalls.count).toBe(0);
    expect(again).toMatchObject({ code: 'all_keys_rate_limited', retryAfterSeconds: 18 });

    clock.advance(18_000);
    expect((await run('gemini-2.5-pro', serve)).value).toBe(KEYS[0]);
  });

  it('an alias is cooled with the model Google named, so it does not meet the same 429 again', async () => {
    const { pool, run, refuse, serve } = setup();
    await run('gemini-flash-latest', refuse('gemini-2.5-flash')).catch(() => undefined);
    expect(pool.acquire(undefined, 'gemini-flash-latest')).toBeNull();
    expect(pool.acquire(undefined, 'gemini-2.5-flash')).toBeNull();
    expect((await run('gemini-2.5-pro', serve)).value).toBeDefined();
  });

  it('a 429 that names no model cools the whole key, as before', async () => {
    const { run, refuse, counted, upstreamCalls } = setup();
    await run('gemini-2.5-pro', refuse(undefined)).catch(() => undefined);
    const flash = await run('gemini-2.5-flash', counted).catch((e: unknown) => e);
    expect(upstreamCalls.count).toBe(0);
    expect(flash).toMatchObject({ code: 'all_keys_rate_limited', retryAfterSeconds: 30 });
  });
});
