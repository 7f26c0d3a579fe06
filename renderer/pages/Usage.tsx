/**
 * Requests and tokens over 24 h / 7 d / 30 d: totals, charts of the whole gateway, breakdown charts
 * per model, key and access key, and the exact numbers in tables below.
 */
import { useMemo, useState } from 'preact/hooks';
import type { UsageMetric, UsageRange, UsageReport } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useLoad } from '../app/hooks';
import { Page } from '../components/Page';
import { Segmented } from '../components/Segmented';
import { ErrorState, Loading } from '../components/States';
import { TimeChart } from '../components/TimeChart';
import { REQUEST_LINES, TOKEN_LINES, totalsSeries } from '../lib/usage-charts';
import { UsageBreakdown } from './UsageBreakdown';
import { UsageTables, UsageTotalsTiles } from './UsageTables';

const RANGES: readonly UsageRange[] = ['24h', '7d', '30d'];

interface ReportProps {
  report: UsageReport;
  metric: UsageMetric;
  onMetric: (metric: UsageMetric) => void;
}

function Report({ report, metric, onMetric }: ReportProps) {
  const { t } = useI18n();
  const hourly = report.range === '24h';
  const times = useMemo(() => report.series.map((b) => b.start), [report]);
  const requestSeries = useMemo(() => totalsSeries(report, REQUEST_LINES, t), [report, t]);
  const tokenSeries = useMemo(() => totalsSeries(report, TOKEN_LINES, t), [report, t]);
  const per = hourly ? 'usage.perHour' : 'usage.perDay';

  return (
    <>
      <UsageTotalsTiles total={report.total} />
      <div class="charts">
        <TimeChart
          title={t(per, { what: t('usage.requests') })}
          times={times}
          series={requestSeries}
          hourly={hourly}
          testId="chart-requests"
        />
        <TimeChart
          title={t(per, { what: t('usage.tokens') })}
          times={times}
          series={tokenSeries}
          hourly={hourly}
          testId="chart-tokens"
        />
      </div>
      <UsageBreakdown report={report} times={times} metric={metric} onMetric={onMetric} />
      <UsageTables report={report} />
    </>
  );
}

/**
 * One period's report, mounted afresh for each period (keyed by it): while a period loads, or when
 * its load failed, nothing of the period shown before stays on the page under the new name.
 */
function PeriodReport({ range, ...props }: { range: UsageRange } & Omit<ReportProps, 'report'>) {
  const { admin } = useTransport();
  const usage = useLoad(() => admin.getUsage(range), []);
  if (usage.data) return <Report report={usage.data} {...props} />;
  if (usage.error !== undefined && !usage.loading) {
    return <ErrorState error={usage.error} onRetry={usage.reload} />;
  }
  return <Loading />;
}

export function UsagePage() {
  const { t } = useI18n();
  const [range, setRange] = useState<UsageRange>('24h');
  // Kept while the period changes: only the report is replaced.
  const [metric, setMetric] = useState<UsageMetric>('requests');

  return (
    <Page
      name="usage"
      title={t('usage.title')}
      actions={
        <Segmented
          label={t('usage.range')}
          options={RANGES}
          value={range}
          onChange={setRange}
          text={(r) => t(`usage.range.${r}`)}
          testId="usage-range"
        />
      }
    >
      <PeriodReport key={range} range={range} metric={metric} onMetric={setMetric} />
    </Page>
  );
}
