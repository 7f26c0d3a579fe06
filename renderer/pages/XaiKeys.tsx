/**
 * The xAI key pool (XAI_API_KEYS) of the /xai/v1 relay: which key cools down (a 429, or a 403 from a
 * team out of credits) or was disabled (xAI rejected it), and why. Read-only but for giving a
 * disabled key another chance: the keys themselves are one secret setting, edited in Settings.
 */
import type { KeyHealth } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useAction } from '../app/hooks';
import { hrefOf } from '../app/routes';
import { useKeyHealth } from '../app/use-key-health';
import { LoadStates } from '../components/States';
import { KeyHealthTable } from './KeyHealthTable';

export function XaiKeys({ now }: { now: number }) {
  const { admin } = useTransport();
  const { t } = useI18n();
  const { busy, run } = useAction();
  const keys = useKeyHealth(() => admin.listXaiKeys(), now);

  const enable = async (k: KeyHealth) => {
    const list = await run(
      `enable:${k.id}`,
      () => admin.enableXaiKey(k.id),
      t('xaiKeys.enabledAgain', { key: k.masked }),
    );
    if (list) keys.setData(() => list);
  };

  const settingsLink = <a href={hrefOf('settings')}>{t('xaiKeys.openSettings')}</a>;

  return (
    <section class="card card-wide" aria-labelledby="xai-keys-title" data-testid="xai-keys">
      <header class="card-header">
        <h2 id="xai-keys-title">{t('xaiKeys.title')}</h2>
      </header>
      <LoadStates loaded={keys} />
      {keys.data && keys.data.length === 0 && (
        <p class="muted" data-testid="xai-keys-none">
          {t('xaiKeys.none')} {settingsLink}
        </p>
      )}
      {keys.data && keys.data.length > 0 && (
        <>
          <p class="muted">
            {t('xaiKeys.help')} {settingsLink}
          </p>
          <KeyHealthTable
            keys={keys.data}
            now={now}
            tokens={false}
            rowTestId="xai-key-row"
            actions={(k) =>
              k.status === 'disabled' && (
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() => void enable(k)}
                  disabled={busy !== null}
                  data-testid="xai-key-enable"
                >
                  {t('xaiKeys.enableAgain')}
                </button>
              )
            }
          />
        </>
      )}
    </section>
  );
}
