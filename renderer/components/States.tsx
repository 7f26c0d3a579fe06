import { useI18n } from '../app/context';
import type { Loaded } from '../app/hooks';
import { errorText } from '../lib/error-text';
import { StaleBanner } from './StaleBanner';

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => unknown }) {
  const { t } = useI18n();
  return (
    <div class="banner banner-danger" role="alert">
      <span>{errorText(error, t)}</span>
      <button type="button" class="btn btn-small" onClick={() => void onRetry()}>
        {t('common.retry')}
      </button>
    </div>
  );
}

/**
 * Whatever a list shows besides its data: loading, a failed first load (with retry), or data kept
 * from an earlier load that is no longer current. The caller shows the data itself.
 */
export function LoadStates({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.data === undefined) {
    return loaded.error === undefined ? (
      <Loading />
    ) : (
      <ErrorState error={loaded.error} onRetry={loaded.reload} />
    );
  }
  return loaded.error !== undefined && loaded.loadedAt !== undefined ? (
    <StaleBanner error={loaded.error} since={loaded.loadedAt} />
  ) : null;
}
