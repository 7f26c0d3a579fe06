/**
 * Rate limits (issue "Access control" §6) with @fastify/rate-limit, registered once per limit: a
 * registration runs only its own hook per request (platform notes §4), so each limit gets its own
 * instance and store. They run as preHandler hooks, after access control, so refused callers do not
 * use up anyone's budget. Stores are bounded LRU maps: 100,000 distinct IPs cannot grow memory.
 *
 * - MAX_REQUESTS_PER_MINUTE: the whole gateway, protecting the key pool.
 * - MAX_REQUESTS_PER_DAY_PER_IP: per client IP as resolved under TRUST_PROXY.
 * - an access key's own per-minute limit, when it has one.
 * A limit of 0 is off.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { apiDialectOfRequest } from './access-control';
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
    key: () => 'gateway',
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

export async function registerRateLimits(app: FastifyInstance, core: GatewayCore): Promise<void> {
  for (const limit of LIMITS) {
    await app.register(rateLimit, {
      global: true,
      hook: 'preHandler',
      cache: RATE_LIMIT_STORE_SIZE,
      timeWindow: limit.timeWindow,
      keyGenerator: (request) => `${limit.name}:${limit.key(request) ?? ''}`,
      // Only the API is limited, only when the limit is on, and only for requests it applies to.
      allowList: (request) =>
        apiDialectOfRequest(request) === undefined ||
        request.method === 'OPTIONS' ||
        limit.key(request) === undefined ||
        limit.max(request, core) <= 0,
      max: (request) => limit.max(request, core),
      addHeadersOnExceeding: {
        'x-ratelimit-limit': false,
        'x-ratelimit-remaining': false,
        'x-ratelimit-reset': false,
      },
      errorResponseBuilder: (request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        request.gemgate.errorCode = 'rate_limit_exceeded';
        return new ApiError(
          'rate_limit_exceeded',
          `Rate limit reached: ${limit.describe(context.max)}. Try again in ${seconds} s.`,
          { retryAfterSeconds: seconds },
        );
      },
    });
  }
}
