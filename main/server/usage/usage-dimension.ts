/**
 * One dimension of a usage report (model, Gemini key or access key): each item's totals over the
 * range, for the tables, and its requests and tokens per bucket, for the breakdown charts. A chart
 * keeps the heaviest items and sums the rest as "other", so a gateway with forty keys still draws a
 * readable chart; the table below it lists every item.
 */
import { USAGE_TOP_ITEMS } from '../../../shared/admin-contract';
import type { UsageBreakdown, UsageMetric, UsageSeries, UsageTotals } from '../../../shared/admin-dto';
import { addTo, emptyTotals, tokensOf, type Bucket } from './usage-bucket';

interface Item {
  totals: UsageTotals;
  perSlot: Record<UsageMetric, number[]>;
}

const sum = (values: readonly number[]) => values.reduce((n, v) => n + v, 0);

export class UsageDimension {
  readonly #slots: number;
  readonly #items = new Map<string, Item>();

  /** `slots`: the buckets of the range (24 hours, 7 or 30 days). */
  constructor(slots: number) {
    this.#slots = slots;
  }

  add(id: string, slot: number, b: Bucket): void {
    let item = this.#items.get(id);
    if (!item) {
      const zeros = () => new Array<number>(this.#slots).fill(0);
      item = { totals: emptyTotals(), perSlot: { requests: zeros(), tokens: zeros() } };
      this.#items.set(id, item);
    }
    addTo(item.totals, b);
    const { requests, tokens } = item.perSlot;
    requests[slot] = (requests[slot] ?? 0) + b.r;
    tokens[slot] = (tokens[slot] ?? 0) + tokensOf(b);
  }

  /** Range totals per item, most requests first: the rows people look for. */
  rows(): { id: string; totals: UsageTotals }[] {
    return [...this.#items]
      .map(([id, item]) => ({ id, totals: item.totals }))
      .sort((x, y) => y.totals.requests - x.totals.requests);
  }

  breakdown(label: (id: string) => string | null, top = USAGE_TOP_ITEMS): UsageBreakdown {
    return { requests: this.#top('requests', label, top), tokens: this.#top('tokens', label, top) };
  }

  /**
   * Ranked by the metric itself, so the tokens chart shows the heaviest token users even when they
   * send few requests. Ties go by id, so a refresh never swaps two lines.
   */
  #top(metric: UsageMetric, label: (id: string) => string | null, top: number): UsageSeries[] {
    const ranked = [...this.#items]
      .map(([id, item]) => ({ id, values: item.perSlot[metric], total: sum(item.perSlot[metric]) }))
      .filter((line) => line.total > 0)
      .sort((x, y) => y.total - x.total || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    // "Other" standing for a single item would hide a name for nothing.
    const shown = ranked.length <= top + 1 ? ranked : ranked.slice(0, top);
    const series: UsageSeries[] = shown.map((line) => ({ ...line, label: label(line.id), other: false }));
    const rest = ranked.slice(shown.length);
    if (rest.length > 0) {
      const values = Array.from({ length: this.#slots }, (_, i) =>
        rest.reduce((n, line) => n + (line.values[i] ?? 0), 0),
      );
      series.push({ id: '', label: '', other: true, values, total: sum(values) });
    }
    return series;
  }
}
