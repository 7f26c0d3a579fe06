/** Requests and tokens over 24 h / 7 d / 30 d as charts, totals, and tables per model, key and access key. */
import { useMemo, useState } from 'preact/hooks';
import type { UsageRange, UsageReport, UsageTotals } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useLoad } from '../app/hooks';
import { Page } from '../components/Page';
import { ErrorState, Loading } from '../components/States';
import { TimeChart, type ChartSeries } from '../components/TimeChart';
import type { MessageKey } from '../i18n/index';

const RANGES: readonly UsageRange[] = ['24h', '7d', '30d'];

const TOTAL_FIELDS: readonly [keyof UsageTotals, MessageKey][] = [
  ['requests', 'usage.requests'],
  ['errors', 'usage.errors'],
  ['promptTokens', 'usage.promptTokens'],
  ['completionTokens', 'usage.completionTokens'],
  ['reasoningTokens', 'usage.reasoningTokens'],
];

function Totals({ total }: { total: UsageTotals }) {
  const { t, fmt } = useI18n();
  return (
    <dl class="totals" data-testid="usage-totals">
      {TOTAL_FIELDS.map(([field, label]) => (
        <div key={field} class="total">
          <dt>{t(label)}</dt>
          <dd>{fmt.number(total[field])}</dd>
        </div>
      ))}
    </dl>
  );
}

interface BreakdownProps {
  title: string;
  nameLabel: string;
  rows: { id: string; name: string; totals: UsageTotals; code?: boolean }[];
  testId: string;
}

function Breakdown({ title, nameLabel, rows, testId }: BreakdownProps) {
  const { t, fmt } = useI18n();
  return (
    <section class="card" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t('usage.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{nameLabel}</th>
                {TOTAL_FIELDS.map(([field, label]) => (
                  <th key={field} scope="col" class="num">
                    {t(label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row">{row.code ? <code>{row.name}</code> : row.name}</th>
                  {TOTAL_FIELDS.map(([field]) => (
                    <td key={field} class="num">
                      {fmt.number(row.totals[field])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Heaviest first: the rows people look for. */
const byRequests = <T extends UsageTotals>(rows: T[]): T[] =>
  [...rows].sort((a, b) => b.requests - a.requests);

function Report({ report }: { report: UsageReport }) {
  const { t } = useI18n();
  const hourly = report.range === '24h';
  const times = useMemo(() => report.series.map((b) => b.start), [report]);
  const requestSeries = useMemo<ChartSeries[]>(
    () => [
      { label: t('usage.requests'), values: report.series.map((b) => b.requests), color: '--chart-1' },
      { label: t('usage.errors'), values: report.series.map((b) => b.errors), color: '--chart-danger' },
    ],
    [report, t],
  );
  const tokenSeries = useMemo<ChartSeries[]>(
    () => [
      {
        label: t('usage.promptTokens'),
        values: report.series.map((b) => b.promptTokens),
        color: '--chart-2',
      },
      {
        label: t('usage.completionTokens'),
        values: report.series.map((b) => b.completionTokens),
        color: '--chart-3',
      },
      {
        label: t('usage.reasoningTokens'),
        values: report.series.map((b) => b.reasoningTokens),
        color: '--chart-4',
      },
    ],
    [report, t],
  );
  const per = hourly ? 'usage.perHour' : 'usage.perDay';

  return (
    <>
      <Totals total={report.total} />
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
      <div class="stack">
        <Breakdown
          title={t('usage.byModel')}
          nameLabel={t('usage.col.model')}
          rows={byRequests(report.byModel).map((r) => ({ id: r.model, name: r.model, totals: r }))}
          testId="usage-by-model"
        />
        <Breakdown
          title={t('usage.byKey')}
          nameLabel={t('usage.col.key')}
          rows={byRequests(report.byKey).map((r) => ({ id: r.keyId, name: r.masked, totals: r, code: true }))}
          testId="usage-by-key"
        />
        <Breakdown
          title={t('usage.byAccessKey')}
          nameLabel={t('usage.col.accessKey')}
          rows={byRequests(report.byAccessKey).map((r) => ({ id: r.accessKeyId, name: r.name, totals: r }))}
          testId="usage-by-access-key"
        />
      </div>
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
        <div class="segmented" role="group" aria-label={t('usage.range')}>
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              class="btn btn-small"
              aria-pressed={r === range}
              onClick={() => setRange(r)}
              data-testid={`usage-range-${r}`}
            >
              {t(`usage.range.${r}`)}
            </button>
          ))}
        </div>
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
