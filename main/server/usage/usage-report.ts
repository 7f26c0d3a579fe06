/**
 * A range's usage report from the hourly buckets: the buckets of the range (the last 24 hours, or the
 * last 7 / 30 UTC days, the current one included) with their totals, the range's totals per model,
 * key and access key, and the same three per bucket for the breakdown charts.
 */
import type { UsageRange, UsageReport } from '../../../shared/admin-dto';
import { addTo, DAY, emptyTotals, HOUR, type Bucket } from './usage-bucket';
import { UsageDimension } from './usage-dimension';

/** How items are named in a report: null for one that is gone (the window says so in its language). */
export interface UsageLabels {
  keyMasked: (keyId: string) => string | null;
  accessKeyName: (accessKeyId: string) => string | null;
}

export interface RangeSlots {
  /** Start of the first bucket, unix ms. */
  first: number;
  step: number;
  count: number;
}

export function rangeSlots(range: UsageRange, now: number): RangeSlots {
  const step = range === '24h' ? HOUR : DAY;
  const count = range === '24h' ? 24 : range === '7d' ? 7 : 30;
  const last = Math.floor(now / step) * step;
  return { first: last - (count - 1) * step, step, count };
}

export function buildUsageReport(
  buckets: Iterable<Bucket>,
  range: UsageRange,
  now: number,
  labels: UsageLabels,
): UsageReport {
  const { first, step, count } = rangeSlots(range, now);
  const series = Array.from({ length: count }, (_, i) => ({ start: first + i * step, ...emptyTotals() }));
  const total = emptyTotals();
  const model = new UsageDimension(count);
  const key = new UsageDimension(count);
  const accessKey = new UsageDimension(count);
  for (const b of buckets) {
    // `first` is a multiple of `step`, so this is the bucket's hour or UTC day within the range.
    const slot = Math.floor((b.h - first) / step);
    if (slot < 0 || slot >= count) continue;
    addTo(series[slot]!, b);
    addTo(total, b);
    model.add(b.m, slot, b);
    // Requests served without a key (refused early) or by another credential have no row here.
    if (b.k) key.add(b.k, slot, b);
    if (b.a) accessKey.add(b.a, slot, b);
  }
  return {
    range,
    series,
    total,
    byModel: model.rows().map(({ id, totals }) => ({ model: id, ...totals })),
    byKey: key.rows().map(({ id, totals }) => ({ keyId: id, masked: labels.keyMasked(id), ...totals })),
    byAccessKey: accessKey
      .rows()
      .map(({ id, totals }) => ({ accessKeyId: id, name: labels.accessKeyName(id), ...totals })),
    breakdown: {
      model: model.breakdown((id) => id),
      key: key.breakdown(labels.keyMasked),
      accessKey: accessKey.breakdown(labels.accessKeyName),
    },
  };
}
