/** The Gemini key pool: bulk paste, health table, per-key check / enable / remove, check all. */
import { useState } from 'preact/hooks';
import type { KeyCheckResult, KeyHealth } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useAction } from '../app/hooks';
import { useToast } from '../app/toast';
import { useKeyHealth } from '../app/use-key-health';
import { useConfirm } from '../components/Dialog';
import { LoadStates } from '../components/States';
import { KeyHealthTable } from './KeyHealthTable';

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

export function GeminiKeys({ now }: { now: number }) {
  const { admin } = useTransport();
  const { t } = useI18n();
  const notify = useToast();
  const { busy, run } = useAction();
  const [confirmDialog, confirm] = useConfirm();
  const [checks, setChecks] = useState<ReadonlyMap<string, KeyCheckResult>>(new Map());
  const keys = useKeyHealth(() => admin.listKeys(), now);

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
      <LoadStates loaded={keys} />
      {keys.data && keys.data.length === 0 && <p class="muted">{t('keys.none')}</p>}
      {keys.data && keys.data.length > 0 && (
        <KeyHealthTable
          keys={keys.data}
          now={now}
          tokens
          rowTestId="key-row"
          note={(k) => {
            const checked = checks.get(k.id);
            if (!checked) return null;
            return (
              <span class={`check-outcome outcome-${checked.outcome}`} title={checked.message}>
                {t(`keys.outcome.${checked.outcome}`)}
              </span>
            );
          }}
          actions={(k) => (
            <>
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
            </>
          )}
        />
      )}
      {confirmDialog}
    </section>
  );
}
