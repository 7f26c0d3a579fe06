import { useI18n } from '../app/context';
import { describeError } from '../app/hooks';

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
      <span>{describeError(error, t)}</span>
      <button type="button" class="btn btn-small" onClick={() => void onRetry()}>
        {t('common.retry')}
      </button>
    </div>
  );
}
