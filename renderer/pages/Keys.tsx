import { useI18n } from '../app/context';
import { Page } from '../components/Page';
import { AccessKeys } from './AccessKeys';
import { GeminiKeys } from './GeminiKeys';
import { XaiKeys } from './XaiKeys';

export function KeysPage() {
  const { t } = useI18n();
  return (
    <Page name="keys" title={t('keys.title')}>
      <GeminiKeys />
      <AccessKeys />
      <XaiKeys />
    </Page>
  );
}
