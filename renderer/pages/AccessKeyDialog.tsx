/** Create or edit an access key. After creating, the full key is shown once, with a copy button. */
import { useState } from 'preact/hooks';
import type { AccessKeyDto, CreatedAccessKey } from '../../shared/admin-contract';
import { useI18n, useTransport } from '../app/context';
import { useAction } from '../app/hooks';
import { Banner } from '../components/Banner';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { Switch } from '../components/Switch';
import type { MessageKey } from '../i18n/index';
import {
  draftOf,
  emptyDraft,
  inputOf,
  patchOf,
  type AccessKeyDraft,
  type DraftErrors,
} from '../lib/access-key-form';
import { messageText } from '../lib/validation';

interface Props {
  /** The key being edited; absent to create one. */
  editing?: AccessKeyDto;
  onDone: (changed: boolean) => void;
}

type TextField = 'name' | 'limit' | 'perMinute' | 'expires';
const INPUT_TYPES: Record<TextField, string> = {
  name: 'text',
  limit: 'number',
  perMinute: 'number',
  expires: 'date',
};

export function AccessKeyDialog({ editing, onDone }: Props) {
  const { admin } = useTransport();
  const { t } = useI18n();
  const { busy, run } = useAction();
  const [draft, setDraft] = useState<AccessKeyDraft>(() => (editing ? draftOf(editing) : emptyDraft()));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [created, setCreated] = useState<CreatedAccessKey | null>(null);
  const set = <K extends keyof AccessKeyDraft>(name: K, value: AccessKeyDraft[K]) =>
    setDraft((d) => ({ ...d, [name]: value }));

  const submit = async () => {
    if (editing) {
      const patch = patchOf(editing, draft);
      if (!patch.ok) return setErrors(patch.errors);
      setErrors({});
      if (Object.keys(patch.value).length === 0) return onDone(false);
      const saved = await run(
        'save',
        () => admin.updateAccessKey(editing.id, patch.value),
        t('access.saved'),
      );
      if (saved) onDone(true);
      return;
    }
    const input = inputOf(draft);
    if (!input.ok) return setErrors(input.errors);
    setErrors({});
    const result = await run('save', () => admin.createAccessKey(input.value));
    if (result) setCreated(result);
  };

  if (created) {
    return (
      <Dialog
        title={t('access.createdTitle')}
        onClose={() => onDone(true)}
        testId="access-key-created"
        footer={
          <button
            type="button"
            class="btn btn-primary"
            onClick={() => onDone(true)}
            data-testid="access-key-done"
          >
            {t('common.done')}
          </button>
        }
      >
        <Banner kind="warning">{t('access.createdOnce')}</Banner>
        <p class="copy-row">
          <code class="full-key" data-testid="access-key-full">
            {created.key}
          </code>
          <CopyButton text={created.key} testId="copy-access-key" />
        </p>
      </Dialog>
    );
  }

  const textField = (name: TextField, label: MessageKey, help?: MessageKey) => {
    const id = `access-${name}`;
    const error = errors[name];
    return (
      <div class={`field${error ? ' field-invalid' : ''}`}>
        <label for={id}>{t(label)}</label>
        <input
          id={id}
          type={INPUT_TYPES[name]}
          min={INPUT_TYPES[name] === 'number' ? 1 : undefined}
          step={INPUT_TYPES[name] === 'number' ? 1 : undefined}
          value={draft[name]}
          onInput={(e) => set(name, e.currentTarget.value)}
          aria-invalid={error !== undefined}
          aria-describedby={
            [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
          }
          data-testid={`access-input-${name}`}
        />
        {help && (
          <p class="field-help" id={`${id}-help`}>
            {t(help)}
          </p>
        )}
        {error && (
          <p class="field-error" id={`${id}-error`} data-testid={`access-error-${name}`}>
            {messageText(error, t)}
          </p>
        )}
      </div>
    );
  };

  const toggle = (name: 'enabled' | 'dailyReset' | 'resetUsage', label: MessageKey) => (
    <div class="field field-inline">
      <Switch
        id={`access-${name}`}
        checked={draft[name]}
        onChange={(v) => set(name, v)}
        testId={`access-input-${name}`}
      />
      <label for={`access-${name}`}>{t(label)}</label>
    </div>
  );

  return (
    <Dialog
      title={editing ? t('access.editTitle', { name: editing.name }) : t('access.createTitle')}
      onClose={() => onDone(false)}
      testId="access-key-dialog"
      footer={
        <>
          <button type="button" class="btn" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="access-key-form"
            class="btn btn-primary"
            disabled={busy !== null}
            data-testid="access-key-save"
          >
            {editing ? t('common.save') : t('access.create')}
          </button>
        </>
      }
    >
      <form
        id="access-key-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {textField('name', 'access.field.name')}
        {editing && toggle('enabled', 'access.field.enabled')}
        {textField('limit', 'access.field.limit', 'access.field.limitHelp')}
        {toggle('dailyReset', 'access.field.dailyReset')}
        {textField('perMinute', 'access.field.perMinute', 'access.field.perMinuteHelp')}
        {textField('expires', 'access.field.expires', 'access.field.expiresHelp')}
        {editing && toggle('resetUsage', 'access.field.resetUsage')}
      </form>
    </Dialog>
  );
}
