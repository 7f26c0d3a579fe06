/** The usage report from hourly buckets: range boundaries, per-bucket breakdowns, top items + other. */
import { describe, expect, it } from 'vitest';
import { USAGE_TOP_ITEMS } from '../../../shared/admin-contract';
import type { UsageSeries } from '../../../shared/admin-dto';
import type { Bucket } from '../../../main/server/usage/usage-bucket';
import { buildUsageReport, rangeSlots } from '../../../main/server/usage/usage-report';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** 12:30 UTC: the current hour is 12:00, the current day starts at 00:00. */
const NOW = Date.UTC(2026, 10, 26, 12, 30);
const THIS_HOUR = Date.UTC(2026, 10, 26, 12);
const TODAY = Date.UTC(2026, 10, 26);
const labels = { keyMasked: (id: string) => `masked-${id}`, accessKeyName: (id: string) => `name-${id}` };

const bucket = (over: Partial<Bucket>): Bucket => ({
  h: THIS_HOUR,
  m: 'gemini-2.5-flash',
  k: 'k1',
  a: '',
  r: 1,
  e: 0,
  p: 0,
  c: 0,
  t: 0,
  ...over,
});
const report = (buckets: Bucket[], range: '24h' | '7d' | '30d' = '24h') =>
  buildUsageReport(buckets, range, NOW, labels);
const lines = (series: UsageSeries[]) => series.map((s) => [s.label, s.total]);
/** The non-zero slots of a line, as [slot, value]. */
const slots = (s: UsageSeries | undefined) =>
  (s?.values ?? []).flatMap((v, i) => (v === 0 ? [] : [[i, v] as const]));

describe('range slots', () => {
  it('are the last 24 hours, or the last 7 / 30 UTC days, the current one included', () => {
    expect(rangeSlots('24h', NOW)).toEqual({ first: THIS_HOUR - 23 * HOUR, step: HOUR, count: 24 });
    expect(rangeSlots('7d', NOW)).toEqual({ first: TODAY - 6 * DAY, step: DAY, count: 7 });
    expect(rangeSlots('30d', NOW)).toEqual({ first: TODAY - 29 * DAY, step: DAY, count: 30 });
    // On the boundary itself, the new hour is the last bucket.
    expect(rangeSlots('24h', THIS_HOUR).first).toBe(THIS_HOUR - 23 * HOUR);
  });
});

describe('bucket boundaries', () => {
  it('24h: counts the first and the current hour, not the hour before nor a later one', () => {
    const day = report([
      bucket({ h: THIS_HOUR - 24 * HOUR, m: 'too-old' }),
      bucket({ h: THIS_HOUR - 23 * HOUR, m: 'first', r: 2, p: 3, c: 4 }),
      bucket({ h: THIS_HOUR, m: 'current', r: 5 }),
      bucket({ h: THIS_HOUR + HOUR, m: 'future' }),
    ]);
    expect(day.total.requests).toBe(7);
    expect(day.byModel.map((m) => m.model)).toEqual(['current', 'first']);
    const byName = new Map(day.breakdown.model.requests.map((s) => [s.label, s]));
    expect(slots(byName.get('first'))).toEqual([[0, 2]]);
    expect(slots(byName.get('current'))).toEqual([[23, 5]]);
    expect(slots(day.breakdown.model.tokens[0])).toEqual([[0, 7]]);
    for (const s of [...day.breakdown.model.requests, ...day.breakdown.model.tokens]) {
      expect(s.values).toHaveLength(24);
    }
  });

  it('7d: adds the hours of a UTC day into that day, from its 00:00 to its 23:00', () => {
    const first = TODAY - 6 * DAY;
    const week = report(
      [
        bucket({ h: first - HOUR, m: 'too-old' }),
        bucket({ h: first, r: 1 }),
        bucket({ h: first + 23 * HOUR, r: 2 }),
        bucket({ h: first + DAY, r: 4 }),
        bucket({ h: THIS_HOUR, r: 8 }),
      ],
      '7d',
    );
    expect(week.series.map((b) => b.requests)).toEqual([3, 4, 0, 0, 0, 0, 8]);
    expect(week.breakdown.model.requests).toHaveLength(1);
    expect(week.breakdown.model.requests[0]).toMatchObject({
      id: 'gemini-2.5-flash',
      label: 'gemini-2.5-flash',
      other: false,
      values: [3, 4, 0, 0, 0, 0, 8],
      total: 15,
    });
    expect(week.breakdown.key.requests[0]?.values).toEqual([3, 4, 0, 0, 0, 0, 8]);
  });

  it('30d: the series and every line have 30 days', () => {
    const month = report([bucket({ h: TODAY - 29 * DAY }), bucket({ h: TODAY - 30 * DAY })], '30d');
    expect(month.series).toHaveLength(30);
    expect(month.breakdown.model.requests[0]?.values).toHaveLength(30);
    expect(slots(month.breakdown.model.requests[0])).toEqual([[0, 1]]);
  });
});

describe('breakdown per model, key and access key', () => {
  it('labels keys masked and access keys by name; leaves out requests without them', () => {
    const day = report([
      bucket({ k: 'k1', a: 'a1', r: 2, p: 10, c: 5 }),
      bucket({ k: 'k2', a: '', r: 1 }),
      bucket({ k: '', a: '', m: 'refused', r: 1, e: 1 }),
    ]);
    expect(lines(day.breakdown.key.requests)).toEqual([
      ['masked-k1', 2],
      ['masked-k2', 1],
    ]);
    expect(lines(day.breakdown.accessKey.requests)).toEqual([['name-a1', 2]]);
    expect(day.breakdown.key.requests.map((s) => s.id)).toEqual(['k1', 'k2']);
    // The full key never travels: only what the labels give.
    expect(JSON.stringify(day.breakdown)).not.toMatch(/"label":"k1"/);
  });

  it('tokens are prompt + completion (completion already includes reasoning)', () => {
    const day = report([bucket({ p: 10, c: 30, t: 20 })]);
    expect(day.breakdown.model.tokens[0]?.total).toBe(40);
  });

  it('ranks each metric by itself, and leaves out items with none of it', () => {
    const day = report([
      bucket({ m: 'chatty', r: 9, p: 1, c: 1 }),
      bucket({ m: 'wordy', r: 1, p: 500, c: 500 }),
      bucket({ m: 'failing', r: 3, e: 3 }),
    ]);
    expect(lines(day.breakdown.model.requests)).toEqual([
      ['chatty', 9],
      ['failing', 3],
      ['wordy', 1],
    ]);
    expect(lines(day.breakdown.model.tokens)).toEqual([
      ['wordy', 1000],
      ['chatty', 2],
    ]);
  });

  it(`keeps the top ${USAGE_TOP_ITEMS} and sums the rest, per bucket, as "other"`, () => {
    // model-1 … model-8 with 1 … 8 requests, each in its own hour.
    const buckets = Array.from({ length: 8 }, (_, i) =>
      bucket({ m: `model-${i + 1}`, r: i + 1, h: THIS_HOUR - i * HOUR }),
    );
    const series = report(buckets).breakdown.model.requests;
    expect(series).toHaveLength(USAGE_TOP_ITEMS + 1);
    expect(lines(series.slice(0, USAGE_TOP_ITEMS))).toEqual([
      ['model-8', 8],
      ['model-7', 7],
      ['model-6', 6],
      ['model-5', 5],
      ['model-4', 4],
    ]);
    const other = series.at(-1);
    expect(other).toMatchObject({ id: '', label: '', other: true, total: 1 + 2 + 3 });
    // model-1 at 12:00 (slot 23), model-2 at 11:00, model-3 at 10:00.
    expect(slots(other)).toEqual([
      [21, 3],
      [22, 2],
      [23, 1],
    ]);
    const everything = series.reduce((n, s) => n + s.total, 0);
    expect(everything).toBe(36);
  });

  it('names a single remaining item instead of calling it "other"', () => {
    const buckets = Array.from({ length: USAGE_TOP_ITEMS + 1 }, (_, i) => bucket({ m: `m${i}`, r: i + 1 }));
    const series = report(buckets).breakdown.model.requests;
    expect(series).toHaveLength(USAGE_TOP_ITEMS + 1);
    expect(series.some((s) => s.other)).toBe(false);
    expect(series.at(-1)).toMatchObject({ label: 'm0', total: 1 });
  });

  it('orders ties by id, so lines never swap between refreshes', () => {
    const day = report([bucket({ m: 'b' }), bucket({ m: 'c' }), bucket({ m: 'a' })]);
    expect(day.breakdown.model.requests.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('an empty range', () => {
  it('has zero buckets of the right length and no lines', () => {
    for (const [range, count] of [
      ['24h', 24],
      ['7d', 7],
      ['30d', 30],
    ] as const) {
      const empty = report([bucket({ h: TODAY - 40 * DAY })], range);
      expect(empty.series).toHaveLength(count);
      expect(empty.series.every((b) => b.requests === 0 && b.promptTokens === 0)).toBe(true);
      expect(empty.total.requests).toBe(0);
      expect([empty.byModel, empty.byKey, empty.byAccessKey]).toEqual([[], [], []]);
      expect(empty.breakdown).toEqual({
        model: { requests: [], tokens: [] },
        key: { requests: [], tokens: [] },
        accessKey: { requests: [], tokens: [] },
      });
    }
  });
});
