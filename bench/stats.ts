/** Order statistics over samples; every figure the bench prints is a median of per-round values. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Smallest and largest sample; [NaN, NaN] for none. */
export function range(samples: readonly number[]): [min: number, max: number] {
  return samples.length === 0 ? [NaN, NaN] : [Math.min(...samples), Math.max(...samples)];
}
