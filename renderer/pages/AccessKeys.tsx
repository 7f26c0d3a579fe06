/** Access keys: sk-… keys handed out instead of the password, each with its own limits and expiry. */
import { useState } from 'preact/hooks';
import type { AccessKeyDto } from '../../shared/admin-contract';
import { useI18n, useTransport } from '../app/context';
import { useAction, useLoad, useNow } from '../app/hooks';
import { useConfirm } from '../components/Dialog';
import { LoadStates } from '../components/States';
import { AccessKeyDialog } from './AccessKeyDialog';

const STATUS_BADGE: Record<AccessKeyDto['status'], string> = {
  active: 'badge-ok',
  disabled: 'badge-muted',
  expired: 'badge-danger',
  exhausted: 'badge-warning',
};

export function AccessKeys() {
  const { admin } = useTransport();
  const { t, fmt } = useI18n();
  const { busy, run } = useAction();
  const [confirmDialog, confirm] = useConfirm();
  const [dialog, setDialog] = useState<{ editing?: AccessKeyDto } | null>(null);
  const list = useLoad(() => admin.listAccessKeys(), []);
  const now = useNow(30_000);

  const revoke = async (k: AccessKeyDto) => {
    const ok = await confirm(t('access.revokeConfirm', { name: k.name }), {
      confirmLabel: t('access.revoke'),
    });
    if (!ok) return;
    await run(`revoke:${k.id}`, () => admin.revokeAccessKey(k.id), t('access.revoked'));
    await list.reload();
  };

  return (
    <section class="card card-wide" aria-labelledby="access-keys-title" data-testid="access-keys">
      <header class="card-header">
        <h2 id="access-keys-title">{t('access.title')}</h2>
        <button
          type="button"
          class="btn btn-primary"
          onClick={() => setDialog({})}
          data-testid="create-access-key"
        >
          {t('access.new')}
        </button>
      </header>
      <p class="muted">{t('access.help')}</p>
      <LoadStates loaded={list} />
      {list.data && list.data.length === 0 && <p class="muted">{t('access.none')}</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('access.col.name')}</th>
                <th scope="col">{t('access.col.key')}</th>
                <th scope="col">{t('access.col.status')}</th>
                <th scope="col" class="num">
                  {t('access.col.used')}
                </th>
                <th scope="col">{t('access.col.dailyReset')}</th>
                <th scope="col" class="num">
                  {t('access.col.perMinute')}
                </th>
                <th scope="col">{t('access.col.expires')}</th>
                <th scope="col">{t('access.col.lastUsed')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((k) => (
                <tr key={k.id} data-testid="access-key-row" data-access-key-id={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.preview}</code>
                  </td>
                  <td>
                    <span class={`badge ${STATUS_BADGE[k.status]}`}>{t(`access.status.${k.status}`)}</span>
                  </td>
                  <td class="num">
                    {fmt.number(k.used)} / {k.limit === null ? '∞' : fmt.number(k.limit)}
                  </td>
                  <td>{k.dailyReset ? t('common.yes') : t('common.no')}</td>
                  <td class="num">{k.perMinute === null ? '—' : fmt.number(k.perMinute)}</td>
                  <td>{k.expiresAt === null ? t('common.never') : fmt.shortDateTime(k.expiresAt)}</td>
                  <td>
                    {k.lastUsedAt === null
                      ? t('common.never')
                      : fmt.relative(k.lastUsedAt, Math.max(now, k.lastUsedAt))}
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => setDialog({ editing: k })}
                      data-testid="access-key-edit"
                    >
                      {t('common.edit')}
                    </button>
                    <button
                      type="button"
                      class="btn btn-small btn-danger"
                      onClick={() => void revoke(k)}
                      disabled={busy !== null}
                      data-testid="access-key-revoke"
                    >
                      {t('access.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog && (
        <AccessKeyDialog
          editing={dialog.editing}
          onDone={(changed) => {
            setDialog(null);
            if (changed) void list.reload();
          }}
        />
      )}
      {confirmDialog}
    </section>
  );
}
