/**
 * Requests and tokens over 24 h / 7 d / 30 d: totals, charts of the whole gateway, breakdown charts
 * per model, key and access key, and the exact numbers in tables below.
 */
import { useMemo, useState } from 'preact/hooks';
import type { UsageRange, UsageReport } from '../../shared/admin-dto';
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

function Report({ report }: { report: UsageReport }) {
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
      <UsageBreakdown report={report} times={times} />
      <UsageTables report={report} />
    </>
  );
}

export function UsagePage() {
  const { admin } = useTransport();
  const { t } = useI18n();
  const [range, setRange] = useState<UsageRange>('24h');
  const usage = useLoad(() => admin.getUsage(range), [range]);

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
      {usage.data ? (
        <Report report={usage.data} />
      ) : usage.error !== undefined ? (
        <ErrorState error={usage.error} onRetry={usage.reload} />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
