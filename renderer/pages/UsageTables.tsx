/** The Usage page's exact numbers: the range's totals, and a table per model, key and access key. */
import type { UsageReport, UsageTotals } from '../../shared/admin-dto';
import { useI18n } from '../app/context';
import type { MessageKey } from '../i18n/index';
import { itemName } from '../lib/usage-charts';

const TOTAL_FIELDS: readonly [keyof UsageTotals, MessageKey][] = [
  ['requests', 'usage.requests'],
  ['errors', 'usage.errors'],
  ['promptTokens', 'usage.promptTokens'],
  ['completionTokens', 'usage.completionTokens'],
  ['reasoningTokens', 'usage.reasoningTokens'],
];

export function UsageTotalsTiles({ total }: { total: UsageTotals }) {
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

interface TableProps {
  title: string;
  nameLabel: string;
  rows: { id: string; name: string; totals: UsageTotals; code?: boolean }[];
  testId: string;
}

function UsageTable({ title, nameLabel, rows, testId }: TableProps) {
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

/** The server lists every table heaviest first (most requests): the rows people look for. */
export function UsageTables({ report }: { report: UsageReport }) {
  const { t } = useI18n();
  return (
    <div class="stack">
      <UsageTable
        title={t('usage.byModel')}
        nameLabel={t('usage.col.model')}
        rows={report.byModel.map((r) => ({ id: r.model, name: r.model, totals: r }))}
        testId="usage-by-model"
      />
      <UsageTable
        title={t('usage.byKey')}
        nameLabel={t('usage.col.key')}
        rows={report.byKey.map((r) => ({
          id: r.keyId,
          name: itemName('key', r.masked, t),
          totals: r,
          code: r.masked !== null,
        }))}
        testId="usage-by-key"
      />
      <UsageTable
        title={t('usage.byAccessKey')}
        nameLabel={t('usage.col.accessKey')}
        rows={report.byAccessKey.map((r) => ({
          id: r.accessKeyId,
          name: itemName('accessKey', r.name, t),
          totals: r,
        }))}
        testId="usage-by-access-key"
      />
    </div>
  );
}
