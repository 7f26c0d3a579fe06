import { useState } from 'preact/hooks';
import { SECRET_MASK } from '../../shared/admin-contract';
import { useI18n } from '../app/context';
import { useAction } from '../app/hooks';
import { CopyButton } from './CopyButton';

interface Props {
  /** Fetches the secret (revealSecret): only when shown or copied, never up front. */
  reveal: () => Promise<string>;
  testId: string;
}

/** A masked secret with Show/Hide and Copy. */
export function SecretValue({ reveal, testId }: Props) {
  const { t } = useI18n();
  const { busy, run } = useAction();
  const [value, setValue] = useState<string | null>(null);
  const toggle = async () => {
    if (value !== null) return setValue(null);
    const revealed = await run('reveal', reveal);
    if (revealed !== undefined) setValue(revealed);
  };
  return (
    <span class="secret">
      <code data-testid={`${testId}-value`}>{value ?? SECRET_MASK}</code>
      <button
        type="button"
        class="btn btn-small"
        onClick={() => void toggle()}
        disabled={busy !== null}
        aria-pressed={value !== null}
        data-testid={`${testId}-reveal`}
      >
        {value === null ? t('common.reveal') : t('common.hide')}
      </button>
      <CopyButton text={async () => value ?? (await reveal())} testId={`${testId}-copy`} />
    </span>
  );
}
