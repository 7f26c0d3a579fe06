/**
 * The health table both key pools share (Gemini and xAI keys): each key masked, its status with the
 * time left of a cool-down or why it was disabled, its counters, last error and last use. What a pool
 * adds — a check's outcome beside the key, the buttons of a row — comes in from its page.
 */
import type { ComponentChildren } from 'preact';
import type { KeyHealth } from '../../shared/admin-dto';
import { useI18n } from '../app/context';
import { keyStatusBadge } from '../lib/key-health';

const TONE_CLASS = { ok: 'badge-ok', warning: 'badge-warning', danger: 'badge-danger' } as const;

function StatusCell({ k, now }: { k: KeyHealth; now: number }) {
  const { t, fmt } = useI18n();
  const badge = keyStatusBadge(k, now);
  const reason = badge.status === 'disabled' ? badge.reason : null;
  return (
    <span class={`badge ${TONE_CLASS[badge.tone]}`} title={reason ?? undefined} data-testid="key-status">
      {badge.status === 'cooling'
        ? t('keys.status.cooling', { left: fmt.countdown(badge.secondsLeft) })
        : t(`keys.status.${badge.status}`)}
      {reason && <span class="badge-detail">{reason}</span>}
    </span>
  );
}

function LastError({ error }: { error: KeyHealth['lastError'] }) {
  const { fmt } = useI18n();
  if (!error) return <>—</>;
  return (
    <span title={fmt.dateTime(error.at)}>
      {error.status !== null && <code>{error.status}</code>} {error.message}
    </span>
  );
}

function LastUsed({ at, now }: { at: number | null; now: number }) {
  const { t, fmt } = useI18n();
  if (at === null) return <>{t('common.never')}</>;
  return (
    <time dateTime={new Date(at).toISOString()} title={fmt.dateTime(at)}>
      {fmt.relative(at, now)}
    </time>
  );
}

export interface KeyHealthTableProps {
  keys: readonly KeyHealth[];
  now: number;
  /** Gemini keys count tokens; the xAI relay does not read them, so that column would only say 0. */
  tokens: boolean;
  rowTestId: string;
  /** Shown beside the masked key (a check's outcome). */
  note?: (k: KeyHealth) => ComponentChildren;
  /** The buttons of a row; without them the table has no actions column. */
  actions?: (k: KeyHealth) => ComponentChildren;
}

export function KeyHealthTable({ keys, now, tokens, rowTestId, note, actions }: KeyHealthTableProps) {
  const { t, fmt } = useI18n();
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('keys.col.key')}</th>
            <th scope="col">{t('keys.col.status')}</th>
            <th scope="col" class="num">
              {t('keys.col.requests')}
            </th>
            <th scope="col" class="num">
              {t('keys.col.failures')}
            </th>
            {tokens && (
              <th scope="col" class="num">
                {t('keys.col.tokens')}
              </th>
            )}
            <th scope="col">{t('keys.col.lastError')}</th>
            <th scope="col">{t('keys.col.lastUsed')}</th>
            {actions && (
              <th scope="col">
                <span class="visually-hidden">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-testid={rowTestId} data-key-id={k.id}>
              <td>
                <code>{k.masked}</code>
                {note?.(k)}
              </td>
              <td>
                <StatusCell k={k} now={now} />
              </td>
              <td class="num">{fmt.number(k.requests)}</td>
              <td class="num">{fmt.number(k.failures)}</td>
              {tokens && (
                <td
                  class="num"
                  title={t('keys.tokensTitle', {
                    prompt: fmt.number(k.promptTokens),
                    completion: fmt.number(k.completionTokens),
                  })}
                >
                  {fmt.number(k.promptTokens + k.completionTokens)}
                </td>
              )}
              <td class="last-error">
                <LastError error={k.lastError} />
              </td>
              <td>
                <LastUsed at={k.lastUsedAt} now={now} />
              </td>
              {actions && <td class="actions">{actions(k)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
