import { useState } from 'preact/hooks';
import { copyText } from '../app/clipboard';
import { useI18n } from '../app/context';
import { errorText } from '../lib/error-text';
import { useToast } from '../app/toast';

interface Props {
  /** The text, or how to get it (e.g. revealing a secret only when copied). */
  text: string | (() => Promise<string>);
  label?: string;
  testId?: string;
  class?: string;
}

export function CopyButton({ text, label, testId, class: className }: Props) {
  const { t } = useI18n();
  const notify = useToast();
  const [copied, setCopied] = useState(false);
  const onClick = async () => {
    try {
      await copyText(typeof text === 'string' ? text : await text());
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch (err) {
      notify(`${t('common.copyFailed')} ${errorText(err, t)}`, 'error');
    }
  };
  return (
    <button
      type="button"
      class={className ?? 'btn btn-small'}
      onClick={() => void onClick()}
      data-testid={testId}
    >
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
    </button>
  );
}
