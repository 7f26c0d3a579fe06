/** The stored unit of usage — one hour × model × key × access key — and adding it up. */
import type { UsageTotals } from '../../../shared/admin-dto';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** One bucket; short field names keep the journal small (a line per bucket and event-loop turn). */
export interface Bucket {
  h: number; // hour start, unix ms (UTC)
  m: string; // model
  k: string; // Gemini key id ('' when none was used)
  a: string; // access key id ('' when another credential was used)
  r: number; // requests
  e: number; // errors
  p: number; // prompt tokens
  c: number; // completion tokens (incl. reasoning)
  t: number; // reasoning ("thinking") tokens
}

export const emptyTotals = (): UsageTotals => ({
  requests: 0,
  errors: 0,
  promptTokens: 0,
  completionTokens: 0,
  reasoningTokens: 0,
});

export const addTo = (totals: UsageTotals, b: Bucket): void => {
  totals.requests += b.r;
  totals.errors += b.e;
  totals.promptTokens += b.p;
  totals.completionTokens += b.c;
  totals.reasoningTokens += b.t;
};

/** Adds the counts of `from` to `into`, a bucket of the same hour, model and keys. */
export const addBucket = (into: Bucket, from: Bucket): void => {
  into.r += from.r;
  into.e += from.e;
  into.p += from.p;
  into.c += from.c;
  into.t += from.t;
};

/** What the charts call tokens: completion already includes reasoning, so it is not added again. */
export const tokensOf = (b: Bucket): number => b.p + b.c;
