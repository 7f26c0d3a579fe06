/**
 * The Usage page's breakdown: requests or tokens over the range per model, per Gemini key (masked)
 * and per access key, one line per item (the server keeps the heaviest and sums the rest as "other").
 */
import { useMemo } from 'preact/hooks';
import type { UsageMetric, UsageReport } from '../../shared/admin-dto';
import { useI18n } from '../app/context';
import { Segmented } from '../components/Segmented';
import { TimeChart } from '../components/TimeChart';
import type { MessageKey } from '../i18n/index';
import { breakdownSeries, DIMENSIONS, METRICS, type BreakdownDimension } from '../lib/usage-charts';

const DIMENSION_TITLES: Record<BreakdownDimension, MessageKey> = {
  model: 'usage.byModel',
  key: 'usage.byKey',
  accessKey: 'usage.byAccessKey',
};
const TEST_IDS: Record<BreakdownDimension, string> = {
  model: 'chart-by-model',
  key: 'chart-by-key',
  accessKey: 'chart-by-access-key',
};

interface ChartProps {
  report: UsageReport;
  dimension: BreakdownDimension;
  metric: UsageMetric;
  times: number[];
}

function BreakdownChart({ report, dimension, metric, times }: ChartProps) {
  const { t } = useI18n();
  const hourly = report.range === '24h';
  const series = useMemo(() => breakdownSeries(report, dimension, metric, t), [report, dimension, metric, t]);
  const what = t(hourly ? 'usage.perHour' : 'usage.perDay', { what: t(`usage.${metric}`) });
  const title = t('usage.chartTitle', { by: t(DIMENSION_TITLES[dimension]), what });
  return (
    <TimeChart
      title={title}
      times={times}
      series={series}
      hourly={hourly}
      testId={TEST_IDS[dimension]}
      emptyText={t('usage.chartEmpty')}
    />
  );
}

interface Props {
  report: UsageReport;
  times: number[];
  /** Chosen on the page, which keeps it while the period (and so this report) changes. */
  metric: UsageMetric;
  onMetric: (metric: UsageMetric) => void;
}

export function UsageBreakdown({ report, times, metric, onMetric }: Props) {
  const { t } = useI18n();
  return (
    <section class="breakdown" aria-labelledby="usage-breakdown-title" data-testid="usage-breakdown">
      <div class="section-header">
        <h2 id="usage-breakdown-title">{t('usage.breakdown')}</h2>
        <Segmented
          label={t('usage.metric')}
          options={METRICS}
          value={metric}
          onChange={onMetric}
          text={(m) => t(`usage.${m}`)}
          testId="usage-metric"
        />
      </div>
      <div class="charts charts-3">
        {DIMENSIONS.map((dimension) => (
          <BreakdownChart
            key={dimension}
            report={report}
            dimension={dimension}
            metric={metric}
            times={times}
          />
        ))}
      </div>
    </section>
  );
}
