/**
 * Rate limits (issue "Access control" §6), counted by @fastify/rate-limit's limiters with their bounded
 * LRU stores: 100,000 distinct IPs cannot grow memory.
 *
 * - MAX_REQUESTS_PER_MINUTE: the whole gateway, protecting the key pool. A /xai request made with the
 *   caller's own xAI key is not counted: it uses no pooled key, and since it needs no gateway
 *   credential, counting it would let anyone with `Bearer xai-anything` lock everyone else out.
 * - MAX_REQUESTS_PER_DAY_PER_IP: per client IP as resolved under TRUST_PROXY (IPv6: per /64).
 * - an access key's own per-minute limit, when it has one.
 * A limit of 0 is off.
 *
 * A request refused by one limit consumes no other limit's budget, and a request let through counts
 * once in each: otherwise a client over its own daily limit, retrying, would use up the whole
 * gateway's minute and lock everyone else out. So the hook works in two passes:
 * 1. peek at every limit that applies (the limiter's `{ increment: false }`, which reads the store
 *    without counting) and refuse, counting nothing, if one is already full — naming the full limit
 *    that frees up last, so Retry-After holds;
 * 2. otherwise count the request in each, the caller's own first (access key, IP) and the gateway's
 *    last, and refuse at the first count that went over.
 * The race: the store is read and counted in separate steps, so requests whose hooks interleave
 * between the passes can all see room in a limit with one place left. Pass 2 still refuses every
 * one of them past that limit, so no limit is overshot; such a raced request has only used the
 * budgets counted before the one that refused it — the caller's own, never the gateway's.
 *
 * The plugin is registered once without route hooks and its limiters (`createRateLimit`) run from a
 * single preHandler — after access control, so refused callers use up nobody's budget. One hook that
 * returns at once when every limit is off costs next to nothing per request, where three plugin
 * registrations each ran a hook on every request.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { apiDialectOfRequest } from './api-dialect';
import { ipBucket } from './ip-match';

/** Distinct keys each store remembers; the least recently seen are dropped beyond this. */
export const RATE_LIMIT_STORE_SIZE = 10_000;

const MINUTE = 60_000;
const DAY = 24 * 3600_000;

interface LimitSpec {
  name: string;
  timeWindow: number;
  key: (request: FastifyRequest) => string | undefined;
  max: (request: FastifyRequest, core: GatewayCore) => number;
  describe: (max: number) => string;
}

const LIMITS: LimitSpec[] = [
  {
    name: 'gateway-per-minute',
    timeWindow: MINUTE,
    key: (request) => (request.gemgate.access === 'own_xai_key' ? undefined : 'gateway'),
    max: (_r, core) => core.settings.get().maxRequestsPerMinute,
    describe: (max) => `this gateway accepts at most ${max} requests per minute in total`,
  },
  {
    name: 'ip-per-day',
    timeWindow: DAY,
    // IPv6 clients count per /64: one home holds a whole /64 and could rotate through it.
    key: (request) => (request.gemgate.ip === undefined ? undefined : ipBucket(request.gemgate.ip)),
    max: (_r, core) => core.settings.get().maxRequestsPerDayPerIp,
    describe: (max) => `at most ${max} requests per day are allowed from one IP address`,
  },
  {
    name: 'access-key-per-minute',
    timeWindow: MINUTE,
    key: (request) => request.gemgate.ticket?.keyId,
    max: (request) => request.gemgate.ticket?.perMinute ?? 0,
    describe: (max) => `this access key allows at most ${max} requests per minute`,
  },
];

interface LimitResult {
  isAllowed: boolean;
  isExceeded?: boolean;
  max?: number;
  /** Places left before this request is counted (a peek) or after it (a count). */
  remaining?: number;
  ttl?: number;
}
/** `{ increment: false }` reads the store without counting (LocalStore.read; the plugin's types). */
type Limiter = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<LimitResult>;
const PEEK = { increment: false } as const;

declare module 'fastify' {
  interface FastifyInstance {
    createRateLimit(options: object): Limiter;
  }
}

export async function registerRateLimits(app: FastifyInstance, core: GatewayCore): Promise<void> {
  await app.register(rateLimit, { global: false, cache: RATE_LIMIT_STORE_SIZE });
  const limiters = LIMITS.map((limit) => ({
    limit,
    check: app.createRateLimit({
      cache: RATE_LIMIT_STORE_SIZE,
      timeWindow: limit.timeWindow,
      keyGenerator: (request: FastifyRequest) => `${limit.name}:${limit.key(request) ?? ''}`,
      max: (request: FastifyRequest) => limit.max(request, core),
    }),
  }));

  const limitReached = (
    request: FastifyRequest,
    reply: FastifyReply,
    limit: LimitSpec,
    result: LimitResult,
  ) => {
    const max = result.max ?? limit.max(request, core);
    const seconds = Math.max(1, Math.ceil((result.ttl ?? limit.timeWindow) / 1000));
    request.gemgate.errorCode = 'rate_limit_exceeded';
    reply.header('x-ratelimit-limit', String(max));
    reply.header('x-ratelimit-remaining', '0');
    return new ApiError(
      'rate_limit_exceeded',
      `Rate limit reached: ${limit.describe(max)}. Try again in ${seconds} s.`,
      { retryAfterSeconds: seconds },
    );
  };

  type Applying = typeof limiters;
  const enforce = async (request: FastifyRequest, reply: FastifyReply, applying: Applying) => {
    // A peek reports the count so far: no place left means this request would go over. When several
    // limits are full, the one that frees up last is named, so Retry-After is not a false promise.
    let full: { limit: LimitSpec; state: LimitResult } | undefined;
    for (const { limit, check } of applying) {
      const state = await check(request, PEEK);
      if (state.remaining === undefined || state.remaining > 0) continue;
      if (!full || (state.ttl ?? limit.timeWindow) > (full.state.ttl ?? full.limit.timeWindow)) {
        full = { limit, state };
      }
    }
    if (full) throw limitReached(request, reply, full.limit, full.state);
    for (const { limit, check } of applying.toReversed()) {
      const result = await check(request);
      if (result.isExceeded) throw limitReached(request, reply, limit, result);
    }
  };
  // Callback-style, not async: every request passes here, and one whose limits are all off (or do
  // not apply) then costs no promise at all.
  app.addHook('preHandler', (request, reply, done) => {
    // Access control, the hook before, has decided the dialect; worked out here only without it.
    const dialect = request.gemgate.dialect ?? apiDialectOfRequest(request) ?? 'other';
    if (request.method === 'OPTIONS' || dialect === 'other') {
      done();
      return;
    }
    const applying = limiters.filter(
      ({ limit }) => limit.max(request, core) > 0 && limit.key(request) !== undefined,
    );
    if (applying.length === 0) {
      done();
      return;
    }
    enforce(request, reply, applying).then(
      () => done(),
      (err: unknown) => done(err as Error),
    );
  });
}
