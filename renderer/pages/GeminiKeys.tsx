/** The Gemini key pool: bulk paste, health table, per-key check / enable / remove, check all. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { KeyCheckResult, KeyHealth } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useAction, useLoad, useNow, usePolling } from '../app/hooks';
import { useToast } from '../app/toast';
import { useConfirm } from '../components/Dialog';
import { StaleBanner } from '../components/StaleBanner';
import { ErrorState, Loading } from '../components/States';

function AddKeys({ onAdded }: { onAdded: () => void }) {
  const { admin } = useTransport();
  const { t } = useI18n();
  const { busy, run } = useAction();
  const [text, setText] = useState('');
  const [result, setResult] = useState<string | null>(null);

  const add = async () => {
    const added = await run('add', () => admin.addKeys(text));
    if (!added) return;
    setText('');
    setResult(t('keys.addResult', { added: added.added, duplicates: added.duplicates }));
    onAdded();
  };

  return (
    <form
      class="add-keys"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <label for="keys-paste">{t('keys.pasteLabel')}</label>
      <p class="field-help" id="keys-paste-help">
        {t('keys.pasteHelp')}
      </p>
      <textarea
        id="keys-paste"
        rows={4}
        spellcheck={false}
        autoComplete="off"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        aria-describedby="keys-paste-help"
        data-testid="keys-paste"
      />
      <div class="row">
        <button
          type="submit"
          class="btn btn-primary"
          disabled={text.trim() === '' || busy !== null}
          data-testid="add-keys"
        >
          {busy === 'add' ? t('keys.adding') : t('keys.add')}
        </button>
        {result && (
          <span role="status" data-testid="add-keys-result">
            {result}
          </span>
        )}
      </div>
    </form>
  );
}

function StatusCell({ k, now }: { k: KeyHealth; now: number }) {
  const { t, fmt } = useI18n();
  if (k.status === 'cooling') {
    const left = k.cooldownUntil === null ? 0 : (k.cooldownUntil - now) / 1000;
    return (
      <span class="badge badge-warning" data-testid="key-status">
        {t('keys.status.cooling', { left: fmt.countdown(left) })}
      </span>
    );
  }
  if (k.status === 'disabled') {
    return (
      <span class="badge badge-danger" title={k.disabledReason ?? undefined} data-testid="key-status">
        {t('keys.status.disabled')}
        {k.disabledReason && <span class="badge-detail">{k.disabledReason}</span>}
      </span>
    );
  }
  return (
    <span class="badge badge-ok" data-testid="key-status">
      {t('keys.status.active')}
    </span>
  );
}

export function GeminiKeys() {
  const { admin } = useTransport();
  const { t, fmt } = useI18n();
  const notify = useToast();
  const { busy, run } = useAction();
  const [confirmDialog, confirm] = useConfirm();
  const [checks, setChecks] = useState<ReadonlyMap<string, KeyCheckResult>>(new Map());
  const keys = useLoad(() => admin.listKeys(), []);
  const now = useNow(1000);
  usePolling(() => void keys.reload(), 10_000);

  // A cool-down that just ended changes the status: ask again rather than show "0:00" — once per
  // cool-down, since a server clock ahead of ours would otherwise make this ask every second.
  const askedAfter = useRef(new Set<string>());
  useEffect(() => {
    const ended = (keys.data ?? [])
      .filter((k) => k.status === 'cooling' && k.cooldownUntil !== null && k.cooldownUntil <= now)
      .map((k) => `${k.id}@${k.cooldownUntil}`)
      .filter((tag) => !askedAfter.current.has(tag));
    if (ended.length === 0) return;
    ended.forEach((tag) => askedAfter.current.add(tag));
    void keys.reload();
  }, [now, keys.data]);

  const check = async (ids?: string[]) => {
    const results = await run(ids ? `check:${ids.join()}` : 'check-all', () => admin.checkKeys(ids));
    if (!results) return;
    setChecks((m) => new Map([...m, ...results.map((r) => [r.id, r] as const)]));
    const valid = results.filter((r) => r.outcome === 'valid').length;
    const invalid = results.filter((r) => r.outcome === 'invalid').length;
    notify(t('keys.checkResult', { valid, invalid, other: results.length - valid - invalid }));
    await keys.reload();
  };

  const setEnabled = async (k: KeyHealth, enabled: boolean) => {
    const list = await run(`toggle:${k.id}`, () => admin.setKeyEnabled(k.id, enabled));
    if (list) keys.setData(() => list);
  };

  const remove = async (k: KeyHealth) => {
    if (!(await confirm(t('keys.removeConfirm', { key: k.masked }), { confirmLabel: t('common.remove') })))
      return;
    const list = await run(`remove:${k.id}`, () => admin.removeKeys([k.id]));
    if (list) keys.setData(() => list);
  };

  return (
    <section class="card card-wide" aria-labelledby="gemini-keys-title" data-testid="gemini-keys">
      <header class="card-header">
        <h2 id="gemini-keys-title">{t('keys.gemini')}</h2>
        <button
          type="button"
          class="btn"
          onClick={() => void check()}
          disabled={busy !== null || !keys.data?.length}
          data-testid="check-all-keys"
        >
          {busy === 'check-all' ? t('keys.checking') : t('keys.checkAll')}
        </button>
      </header>
      <AddKeys onAdded={() => void keys.reload()} />
      {!keys.data && keys.error !== undefined && <ErrorState error={keys.error} onRetry={keys.reload} />}
      {keys.data && keys.error !== undefined && keys.loadedAt !== undefined && (
        <StaleBanner error={keys.error} since={keys.loadedAt} />
      )}
      {!keys.data && keys.error === undefined && <Loading />}
      {keys.data && keys.data.length === 0 && <p class="muted">{t('keys.none')}</p>}
      {keys.data && keys.data.length > 0 && (
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
                <th scope="col" class="num">
                  {t('keys.col.tokens')}
                </th>
                <th scope="col">{t('keys.col.lastError')}</th>
                <th scope="col">{t('keys.col.lastUsed')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => {
                const checked = checks.get(k.id);
                return (
                  <tr key={k.id} data-testid="key-row" data-key-id={k.id}>
                    <td>
                      <code>{k.masked}</code>
                      {checked && (
                        <span class={`check-outcome outcome-${checked.outcome}`} title={checked.message}>
                          {t(`keys.outcome.${checked.outcome}`)}
                        </span>
                      )}
                    </td>
                    <td>
                      <StatusCell k={k} now={now} />
                    </td>
                    <td class="num">{fmt.number(k.requests)}</td>
                    <td class="num">{fmt.number(k.failures)}</td>
                    <td
                      class="num"
                      title={t('keys.tokensTitle', {
                        prompt: fmt.number(k.promptTokens),
                        completion: fmt.number(k.completionTokens),
                      })}
                    >
                      {fmt.number(k.promptTokens + k.completionTokens)}
                    </td>
                    <td class="last-error">
                      {k.lastError ? (
                        <span title={fmt.dateTime(k.lastError.at)}>
                          {k.lastError.status !== null && <code>{k.lastError.status}</code>}{' '}
                          {k.lastError.message}
                        </span>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {k.lastUsedAt === null ? (
                        t('common.never')
                      ) : (
                        <time
                          dateTime={new Date(k.lastUsedAt).toISOString()}
                          title={fmt.dateTime(k.lastUsedAt)}
                        >
                          {fmt.relative(k.lastUsedAt, now)}
                        </time>
                      )}
                    </td>
                    <td class="actions">
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() => void check([k.id])}
                        disabled={busy !== null}
                        data-testid="key-check"
                      >
                        {busy === `check:${k.id}` ? t('keys.checking') : t('keys.check')}
                      </button>
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() => void setEnabled(k, k.status === 'disabled')}
                        disabled={busy !== null}
                        data-testid="key-toggle"
                      >
                        {k.status === 'disabled' ? t('keys.enable') : t('keys.disable')}
                      </button>
                      <button
                        type="button"
                        class="btn btn-small btn-danger"
                        onClick={() => void remove(k)}
                        disabled={busy !== null}
                        data-testid="key-remove"
                      >
                        {t('common.remove')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {confirmDialog}
    </section>
  );
}
