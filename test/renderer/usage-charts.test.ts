/** The Usage page's chart lines: gateway-wide totals, breakdowns with "other", colours kept per item. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE_TOP_ITEMS } from '../../shared/admin-contract';
import type { UsageReport, UsageSeries, UsageTotals } from '../../shared/admin-dto';
import { translate } from '../../renderer/i18n/index';
import { assignColors, OTHER_COLOR, PALETTE } from '../../renderer/lib/chart-series';
import {
  breakdownSeries,
  itemName,
  REQUEST_LINES,
  tableOrder,
  TOKEN_LINES,
  totalsSeries,
} from '../../renderer/lib/usage-charts';

const HOUR = 3600_000;
const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('en', key, params);
const zhT = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('zh', key, params);
const totals = (requests: number, tokens = 0): UsageTotals => ({
  requests,
  errors: 0,
  promptTokens: tokens,
  completionTokens: 0,
  reasoningTokens: 0,
});
const line = (id: string, values: number[], label: string | null = id): UsageSeries => ({
  id,
  label,
  other: false,
  values,
  total: values.reduce((n, v) => n + v, 0),
});
const other = (values: number[]): UsageSeries => ({ ...line('', values), other: true });
const empty = { requests: [], tokens: [] };

/** Two hours; flash is the busiest, pro writes the most tokens, one access key. */
const report: UsageReport = {
  range: '24h',
  series: [
    { start: 0, ...totals(3, 40), errors: 1, completionTokens: 7, reasoningTokens: 2 },
    { start: HOUR, ...totals(2, 500) },
  ],
  total: { requests: 5, errors: 1, promptTokens: 540, completionTokens: 7, reasoningTokens: 2 },
  byModel: [
    { model: 'gemini-2.5-flash', ...totals(4, 40) },
    { model: 'gemini-2.5-pro', ...totals(1, 500) },
  ],
  byKey: [{ keyId: 'k1', masked: 'AIza…0001', ...totals(5, 540) }],
  byAccessKey: [{ accessKeyId: 'ak1', name: 'team', ...totals(2, 20) }],
  breakdown: {
    model: {
      requests: [line('gemini-2.5-flash', [3, 1]), line('gemini-2.5-pro', [0, 1])],
      tokens: [line('gemini-2.5-pro', [0, 500]), line('gemini-2.5-flash', [40, 0])],
    },
    key: {
      requests: [line('k1', [3, 2], 'AIza…0001')],
      tokens: [line('k1', [40, 500], 'AIza…0001')],
    },
    accessKey: { requests: [line('ak1', [2, 0], 'team')], tokens: [line('ak1', [20, 0], 'team')] },
  },
};

describe('gateway-wide lines', () => {
  it('take one field per bucket, its total over the range and a translated label', () => {
    expect(totalsSeries(report, REQUEST_LINES, t)).toEqual([
      { label: 'Requests', values: [3, 2], color: '--chart-1', total: 5 },
      { label: 'Errors', values: [1, 0], color: '--chart-danger', total: 1 },
    ]);
    expect(totalsSeries(report, TOKEN_LINES, t).map((s) => [s.label, s.values, s.total])).toEqual([
      ['Prompt tokens', [40, 500], 540],
      ['Completion tokens', [7, 0], 7],
      ['Reasoning tokens', [2, 0], 2],
    ]);
  });
});

describe('breakdown lines', () => {
  it('one line per item with its label (the key masked, the access key by name) and total', () => {
    expect(breakdownSeries(report, 'model', 'requests', t).map((s) => [s.label, s.values, s.total])).toEqual([
      ['gemini-2.5-flash', [3, 1], 4],
      ['gemini-2.5-pro', [0, 1], 1],
    ]);
    expect(breakdownSeries(report, 'key', 'tokens', t)).toEqual([
      { label: 'AIza…0001', values: [40, 500], color: PALETTE[0], total: 540 },
    ]);
    expect(breakdownSeries(report, 'accessKey', 'requests', t).map((s) => s.label)).toEqual(['team']);
  });

  it('keeps an item in its colour whether the chart counts requests or tokens', () => {
    const colorsOf = (metric: 'requests' | 'tokens') =>
      Object.fromEntries(breakdownSeries(report, 'model', metric, t).map((s) => [s.label, s.color]));
    expect(colorsOf('requests')).toEqual({ 'gemini-2.5-flash': PALETTE[0], 'gemini-2.5-pro': PALETTE[1] });
    expect(colorsOf('tokens')).toEqual(colorsOf('requests'));
  });

  it('names "other" in the window\'s language and paints it neutral', () => {
    const many: UsageReport = {
      ...report,
      breakdown: {
        ...report.breakdown,
        model: { requests: [line('a', [5, 0]), line('b', [1, 3]), other([2, 2])], tokens: [] },
      },
    };
    const series = breakdownSeries(many, 'model', 'requests', zhT);
    expect(series.at(-1)).toEqual({ label: '其他', values: [2, 2], color: OTHER_COLOR, total: 4 });
    expect(series.slice(0, -1).map((s) => s.color)).not.toContain(OTHER_COLOR);
  });

  it("names a removed key and a revoked access key in the window's language (the server sends null)", () => {
    const gone: UsageReport = {
      ...report,
      byKey: [{ keyId: 'k1', masked: null, ...totals(5, 540) }],
      byAccessKey: [{ accessKeyId: 'ak1', name: null, ...totals(2, 20) }],
      breakdown: {
        ...report.breakdown,
        key: { requests: [line('k1', [3, 2], null)], tokens: [] },
        accessKey: { requests: [line('ak1', [2, 0], null)], tokens: [] },
      },
    };
    expect(breakdownSeries(gone, 'key', 'requests', zhT).map((s) => s.label)).toEqual(['已移除的密钥']);
    expect(breakdownSeries(gone, 'accessKey', 'requests', zhT).map((s) => s.label)).toEqual([
      '已吊销的访问密钥',
    ]);
    expect(breakdownSeries(gone, 'key', 'requests', t).map((s) => s.label)).toEqual(['removed key']);
    expect(itemName('accessKey', null, t)).toBe('revoked access key');
    expect(itemName('key', 'AIza…0001', zhT)).toBe('AIza…0001');
  });

  it('has no lines for an empty range', () => {
    const quiet: UsageReport = {
      ...report,
      byModel: [],
      byKey: [],
      byAccessKey: [],
      breakdown: { model: empty, key: empty, accessKey: empty },
    };
    for (const dimension of ['model', 'key', 'accessKey'] as const) {
      expect(breakdownSeries(quiet, dimension, 'requests', t)).toEqual([]);
      expect(tableOrder(quiet, dimension)).toEqual([]);
    }
  });

  it('follows the tables for the colour order', () => {
    expect(tableOrder(report, 'model')).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro']);
    expect(tableOrder(report, 'key')).toEqual(['k1']);
    expect(tableOrder(report, 'accessKey')).toEqual(['ak1']);
  });
});

describe('assignColors', () => {
  it('has a colour for every line a breakdown can have', () => {
    expect(PALETTE.length).toBeGreaterThanOrEqual(USAGE_TOP_ITEMS + 1);
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
    expect(PALETTE).not.toContain(OTHER_COLOR);
  });

  it("gives each item the colour of its rank in the table's order", () => {
    const order = ['a', 'b', 'c', 'd'];
    const colors = assignColors(['c', 'a'], order);
    expect(colors.get('a')).toBe(PALETTE[0]);
    expect(colors.get('c')).toBe(PALETTE[2]);
  });

  it('gives items ranked past the palette a colour no other line has', () => {
    const order = Array.from({ length: 20 }, (_, i) => `item-${i}`);
    const shown = ['item-0', 'item-12', 'item-3', 'item-19', 'item-1', 'item-7'];
    const colors = assignColors(shown, order);
    expect(colors.get('item-0')).toBe(PALETTE[0]);
    expect(colors.get('item-3')).toBe(PALETTE[3]);
    expect(new Set(colors.values()).size).toBe(shown.length);
  });

  it('still colours an item missing from the order', () => {
    expect(assignColors(['ghost'], []).get('ghost')).toBe(PALETTE[0]);
  });
});

describe('chart colours in the stylesheet', () => {
  const css = readFileSync(new URL('../../renderer/styles/app.css', import.meta.url), 'utf8');
  const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
  const light = css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)'));
  const used = [...PALETTE, OTHER_COLOR, ...[...REQUEST_LINES, ...TOKEN_LINES].map(([, , color]) => color)];

  it.each(used)('%s is defined for the light and the dark theme', (name) => {
    const definition = new RegExp(`${name}:\\s*#[0-9a-f]{6};`, 'i');
    expect(light).toMatch(definition);
    expect(dark).toMatch(definition);
  });
});
