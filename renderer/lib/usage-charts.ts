/**
 * The lines of the Usage page's charts from the usage report: the gateway-wide requests and tokens,
 * and the breakdowns per model, Gemini key or access key.
 */
import type { UsageMetric, UsageReport, UsageTotals } from '../../shared/admin-dto';
import type { MessageKey, Translate } from '../i18n/index';
import { assignColors, OTHER_COLOR, type ChartSeries } from './chart-series';

/** A line of a gateway-wide chart: one field of each bucket. */
type TotalsLine = readonly [field: keyof UsageTotals, label: MessageKey, color: string];
export const REQUEST_LINES: readonly TotalsLine[] = [
  ['requests', 'usage.requests', '--chart-1'],
  ['errors', 'usage.errors', '--chart-danger'],
];
export const TOKEN_LINES: readonly TotalsLine[] = [
  ['promptTokens', 'usage.promptTokens', '--chart-2'],
  ['completionTokens', 'usage.completionTokens', '--chart-3'],
  ['reasoningTokens', 'usage.reasoningTokens', '--chart-4'],
];

export const totalsSeries = (
  report: UsageReport,
  lines: readonly TotalsLine[],
  t: Translate,
): ChartSeries[] =>
  lines.map(([field, label, color]) => ({
    label: t(label),
    values: report.series.map((b) => b[field]),
    color,
    total: report.total[field],
  }));

export type BreakdownDimension = keyof UsageReport['breakdown'];

export const DIMENSIONS: readonly BreakdownDimension[] = ['model', 'key', 'accessKey'];
export const METRICS: readonly UsageMetric[] = ['requests', 'tokens'];

/** Every item of the dimension, in the order of its table (most requests first). */
export function tableOrder(report: UsageReport, dimension: BreakdownDimension): string[] {
  switch (dimension) {
    case 'model':
      return report.byModel.map((row) => row.model);
    case 'key':
      return report.byKey.map((row) => row.keyId);
    case 'accessKey':
      return report.byAccessKey.map((row) => row.accessKeyId);
  }
}

/**
 * An item's name as the tables and legends show it. The server names a removed Gemini key or a
 * revoked access key null, for the window to say so in its own language.
 */
export function itemName(dimension: BreakdownDimension, label: string | null, t: Translate): string {
  if (label !== null) return label;
  return t(dimension === 'accessKey' ? 'usage.revokedAccessKey' : 'usage.removedKey');
}

export function breakdownSeries(
  report: UsageReport,
  dimension: BreakdownDimension,
  metric: UsageMetric,
  t: Translate,
): ChartSeries[] {
  const lines = report.breakdown[dimension][metric];
  const items = lines.filter((line) => !line.other).map((line) => line.id);
  const colors = assignColors(items, tableOrder(report, dimension));
  return lines.map((line) => ({
    label: line.other ? t('usage.other') : itemName(dimension, line.label, t),
    values: line.values,
    color: line.other ? OTHER_COLOR : (colors.get(line.id) ?? OTHER_COLOR),
    total: line.total,
  }));
}
