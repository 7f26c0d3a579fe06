import { useI18n } from '../app/context';
import { useNow } from '../app/hooks';
import { Page } from '../components/Page';
import { AccessKeys } from './AccessKeys';
import { GeminiKeys } from './GeminiKeys';
import { XaiKeys } from './XaiKeys';

export function KeysPage() {
  const { t } = useI18n();
  // One clock for both key-health tables' countdowns.
  const now = useNow(1000);
  return (
    <Page name="keys" title={t('keys.title')}>
      <GeminiKeys now={now} />
      <AccessKeys />
      <XaiKeys now={now} />
    </Page>
  );
}
