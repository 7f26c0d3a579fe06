/**
 * Above data that could not be refreshed (the gateway stopped answering after the page loaded): why,
 * and how old the data is. Pages keep the last data rather than blank out, so this line is what tells
 * the user it is no longer current; it goes away with the next successful load.
 */
import { useI18n } from '../app/context';
import { errorText } from '../lib/error-text';
import { Banner } from './Banner';

export function StaleBanner({ error, since }: { error: unknown; since: number }) {
  const { t, fmt } = useI18n();
  return (
    <Banner kind="warning" testId="stale-banner">
      <span>
        {errorText(error, t)} {t('stale.shownFrom', { time: fmt.time(since) })}
      </span>
    </Banner>
  );
}
