/**
 * One generated settings field: label and help from the schema, the input chosen by the field kind,
 * a badge for when a change applies (or, headless, that only the deployment sets it: then the input
 * is read-only).
 */
import { settingSpecs } from '../../shared/settings-schema';
import { useI18n } from '../app/context';
import { Switch } from '../components/Switch';
import type { MessageKey } from '../i18n/index';
import type { Applies, Draft, FieldError, SettingField } from '../lib/settings-form';
import { messageText } from '../lib/validation';

export interface FieldState {
  draft: Draft;
  changed: boolean;
  error: FieldError | null;
  revealed: boolean;
  /** Headless: saved in the admin, so it overrides the environment. */
  overridden: boolean;
  fromEnvironment: boolean;
}

interface Props {
  field: SettingField;
  state: FieldState;
  busy: boolean;
  onChange: (draft: Draft) => void;
  onReveal?: () => void;
  onReset?: () => void;
}

/** The badge (and its tooltip) of each way a change applies; none when it applies at once. */
const APPLIES_BADGES: Partial<Record<Applies, [MessageKey, MessageKey]>> = {
  listener: ['settings.restartBadge', 'settings.restartHint'],
  'next-start': ['settings.nextStartBadge', 'settings.nextStartHint'],
  deployment: ['settings.deploymentBadge', 'settings.deploymentHint'],
};

function Input({ field, state, onChange, describedBy }: Props & { describedBy: string }) {
  const { t, lang } = useI18n();
  const id = `setting-${field.key}`;
  const readOnly = field.applies === 'deployment';
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': state.error !== null,
    'data-testid': `setting-input-${field.key}`,
  };
  // What a blank field stands for (parseDraft) or does, shown where the value would be.
  const placeholder = readOnly
    ? undefined
    : field.blankDefault
      ? t('settings.defaultValue', { value: field.blankDefault })
      : field.emptyHint?.[lang];
  const text = typeof state.draft === 'string' ? state.draft : '';
  switch (field.kind) {
    case 'boolean':
      return (
        <Switch
          id={id}
          checked={state.draft === true}
          onChange={onChange}
          ariaDescribedBy={describedBy}
          testId={common['data-testid']}
        />
      );
    case 'enum':
      return (
        <select {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)}>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case 'number':
      return (
        <input
          {...common}
          type="number"
          inputMode={field.step === 1 ? 'numeric' : 'decimal'}
          min={field.min}
          max={field.max}
          step={field.step}
          value={text}
          placeholder={placeholder}
          readOnly={readOnly}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'list':
      return (
        <textarea
          {...common}
          rows={Math.min(8, Math.max(3, text.split('\n').length + 1))}
          spellcheck={false}
          autoComplete="off"
          value={text}
          readOnly={readOnly}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    default:
      return (
        <input
          {...common}
          // "new-password" keeps the browser from filling in the saved admin password.
          type={field.secret && !state.revealed ? 'password' : 'text'}
          autoComplete={field.secret ? 'new-password' : 'off'}
          spellcheck={false}
          value={text}
          placeholder={placeholder}
          readOnly={readOnly}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

export function SettingFieldView(props: Props) {
  const { field, state, busy, onReveal, onReset } = props;
  const { t, lang } = useI18n();
  const spec = settingSpecs[field.key];
  const helpId = `setting-${field.key}-help`;
  const errorId = `setting-${field.key}-error`;
  const describedBy = state.error ? `${helpId} ${errorId}` : helpId;
  const badge = APPLIES_BADGES[field.applies];

  return (
    <div
      class={`field${state.changed ? ' field-changed' : ''}${state.error ? ' field-invalid' : ''}`}
      data-testid={`setting-${field.key}`}
    >
      <div class="field-label">
        <label for={`setting-${field.key}`}>{spec.label[lang]}</label>
        {badge && (
          <span
            class="badge badge-info"
            title={t(badge[1], { env: field.env })}
            data-testid={`setting-applies-${field.key}`}
            data-applies={field.applies}
          >
            {t(badge[0])}
          </span>
        )}
        {state.changed && <span class="badge badge-accent">{t('settings.modified')}</span>}
      </div>
      <div class="field-input">
        <Input {...props} describedBy={describedBy} />
        {field.secret && onReveal && (
          <button
            type="button"
            class="btn btn-small"
            onClick={onReveal}
            disabled={busy}
            aria-pressed={state.revealed}
            data-testid={`setting-reveal-${field.key}`}
          >
            {state.revealed ? t('common.hide') : t('common.reveal')}
          </button>
        )}
      </div>
      <p class="field-help" id={helpId}>
        {field.help[lang]}
        {field.applies === 'deployment' && ` ${t('settings.deploymentHint', { env: field.env })}`}
        {field.kind === 'list' && ` ${t('settings.listHint')}`}
        {field.secret && ` ${t('settings.secretHint')}`}
        <span class="field-source">
          {' '}
          <code>{field.env}</code>
          {state.overridden
            ? ` · ${t('settings.overridden')}`
            : state.fromEnvironment
              ? ` · ${t('settings.fromEnvironment')}`
              : ''}
        </span>
        {state.overridden && onReset && (
          <button
            type="button"
            class="btn-link"
            onClick={onReset}
            disabled={busy}
            data-testid={`setting-reset-${field.key}`}
          >
            {t('settings.reset')}
          </button>
        )}
      </p>
      {state.error && (
        <p class="field-error" id={errorId} data-testid={`setting-error-${field.key}`}>
          {state.error.line !== undefined
            ? t('settings.lineError', {
                line: state.error.line,
                message: messageText(state.error.message, t),
              })
            : messageText(state.error.message, t)}
        </p>
      )}
    </div>
  );
}
