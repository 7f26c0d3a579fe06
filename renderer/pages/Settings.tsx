/**
 * The settings form, generated from the settings schema. Drafts start from the current settings;
 * Save sends only what changed (masked secrets left out), then the form restarts from the answer.
 */
import { useMemo, useState } from 'preact/hooks';
import { SECRET_MASK, type SettingsView } from '../../shared/admin-contract';
import type { SettingGroup, SettingKey } from '../../shared/settings-schema';
import { useI18n, useTransport } from '../app/context';
import { useAction, useLoad } from '../app/hooks';
import { hrefOf } from '../app/routes';
import { useToast } from '../app/toast';
import { Page } from '../components/Page';
import { ErrorState, Loading } from '../components/States';
import type { MessageKey } from '../i18n/index';
import {
  buildPatch,
  formSections,
  initialDrafts,
  isChanged,
  restartsListener,
  revealedDraft,
  validateDraft,
  type Draft,
  type Drafts,
  type SettingField,
} from '../lib/settings-form';
import { RestartNotice } from './RestartNotice';
import { SettingFieldView, type FieldState } from './SettingField';

/** Groups whose keys are managed on the Keys page: the note that says so. */
const KEYS_NOTE: Partial<Record<SettingGroup, MessageKey>> = {
  gemini: 'settings.keysElsewhere',
  xai: 'settings.xaiKeysHealth',
};

function KeysNote({ group }: { group: SettingGroup }) {
  const { t } = useI18n();
  const note = KEYS_NOTE[group];
  if (note === undefined) return null;
  return (
    <p class="note">
      {t(note)} <a href={hrefOf('keys')}>{t('settings.openKeys')}</a>
    </p>
  );
}

interface FormProps {
  initial: SettingsView;
  headless: boolean;
}

function SettingsForm({ initial, headless }: FormProps) {
  const { admin } = useTransport();
  const { t } = useI18n();
  const notify = useToast();
  const { busy, run } = useAction();
  const sections = useMemo(() => formSections(headless ? 'headless' : 'tray'), [headless]);
  const fields = useMemo(() => sections.flatMap((s) => s.fields), [sections]);

  const [view, setView] = useState(initial);
  const [baselines, setBaselines] = useState<Drafts>(() => initialDrafts(fields, initial));
  const [drafts, setDrafts] = useState<Drafts>(baselines);
  const [revealed, setRevealed] = useState<ReadonlySet<SettingKey>>(new Set());
  const [restartId, setRestartId] = useState(0);

  const draftOf = (f: SettingField): Draft => drafts[f.key] ?? '';
  const baselineOf = (f: SettingField): Draft => baselines[f.key] ?? '';
  const changed = fields.filter((f) => isChanged(f, draftOf(f), baselineOf(f)));
  const errors = new Map(fields.map((f) => [f.key, validateDraft(f, draftOf(f))]));
  const patch = buildPatch(fields, drafts, baselines);

  /**
   * A new view from the server: baselines follow it; the fields in `take` (just saved or reset) take
   * its values, the others keep unsaved edits. Revealed secrets are masked again.
   */
  const adopt = (next: SettingsView, take: readonly SettingKey[]) => {
    const nextBaselines = initialDrafts(fields, next);
    setDrafts((current) =>
      Object.fromEntries(
        fields.map((f) => {
          const draft = current[f.key] ?? '';
          const keep = !take.includes(f.key) && isChanged(f, draft, baselineOf(f));
          return [f.key, keep ? draft : nextBaselines[f.key]];
        }),
      ),
    );
    setBaselines(nextBaselines);
    setRevealed(new Set());
    setView(next);
  };

  const save = async () => {
    if (changed.length === 0) return notify(t('settings.nothingChanged'));
    const invalid = changed.find((f) => errors.get(f.key));
    if (invalid) {
      notify(t('settings.invalid'), 'error');
      document.getElementById(`setting-${invalid.key}`)?.focus();
      return;
    }
    const result = await run('save', () => admin.updateSettings(patch));
    if (!result) return;
    // Everything was saved: the form restarts from the answer.
    adopt(
      result.settings,
      fields.map((f) => f.key),
    );
    if (result.restarting) setRestartId((n) => n + 1);
    notify(result.restarting ? t('settings.restarting') : t('settings.saved'), 'success');
  };

  const reveal = async (f: SettingField) => {
    if (revealed.has(f.key)) {
      // Hide again: back to the mask unless the user edited the value meanwhile.
      if (!isChanged(f, draftOf(f), baselineOf(f))) setDrafts((d) => ({ ...d, [f.key]: SECRET_MASK }));
      setBaselines((b) => ({ ...b, [f.key]: SECRET_MASK }));
      setRevealed((s) => new Set([...s].filter((k) => k !== f.key)));
      return;
    }
    const value = await run(`reveal:${f.key}`, () => admin.revealSecret(f.key));
    if (value === undefined) return;
    const draft = revealedDraft(f, value);
    if (draftOf(f) === SECRET_MASK) setDrafts((d) => ({ ...d, [f.key]: draft }));
    setBaselines((b) => ({ ...b, [f.key]: draft }));
    setRevealed((s) => new Set(s).add(f.key));
  };

  const reset = async (f: SettingField) => {
    const result = await run(`reset:${f.key}`, () => admin.resetSettings([f.key]), t('settings.resetDone'));
    if (!result) return;
    adopt(result.settings, [f.key]);
    if (result.restarting) setRestartId((n) => n + 1);
  };

  const stateOf = (f: SettingField): FieldState => ({
    draft: draftOf(f),
    changed: isChanged(f, draftOf(f), baselineOf(f)),
    error: errors.get(f.key) ?? null,
    revealed: revealed.has(f.key),
    overridden: headless && view.overridden.includes(f.key),
    fromEnvironment: view.fromEnvironment.includes(f.key),
  });

  return (
    <form
      class="settings-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {restartId > 0 && <RestartNotice key={restartId} />}
      {sections.map((section) => (
        <section
          key={section.group}
          class="card settings-group"
          aria-labelledby={`group-${section.group}`}
          data-testid={`settings-group-${section.group}`}
        >
          <h2 id={`group-${section.group}`}>{t(`group.${section.group}`)}</h2>
          <KeysNote group={section.group} />
          {section.fields.map((f) => (
            <SettingFieldView
              key={f.key}
              field={f}
              state={stateOf(f)}
              busy={busy !== null}
              onChange={(draft) => setDrafts((d) => ({ ...d, [f.key]: draft }))}
              onReveal={f.secret && view.secretsSet.includes(f.key) ? () => void reveal(f) : undefined}
              onReset={() => void reset(f)}
            />
          ))}
        </section>
      ))}
      <div class="save-bar" role="region" aria-label={t('settings.saveBar')}>
        <span class="muted" aria-live="polite">
          {changed.length > 0 ? t('settings.unsaved', { count: changed.length }) : t('settings.allSaved')}
          {restartsListener(patch, fields) && ` · ${t('settings.restartHint')}`}
        </span>
        <button
          type="button"
          class="btn"
          disabled={changed.length === 0 || busy !== null}
          onClick={() => setDrafts(baselines)}
          data-testid="discard-settings"
        >
          {t('settings.discard')}
        </button>
        <button
          type="submit"
          class="btn btn-primary"
          disabled={changed.length === 0 || busy !== null}
          data-testid="save-settings"
        >
          {busy === 'save' ? t('settings.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

export function SettingsPage() {
  const { admin } = useTransport();
  const { t } = useI18n();
  const loaded = useLoad(async () => {
    const [view, status] = await Promise.all([admin.getSettings(), admin.getStatus()]);
    return { view, headless: status.mode === 'headless' };
  }, []);
  return (
    <Page name="settings" title={t('settings.title')}>
      {loaded.data ? (
        <SettingsForm initial={loaded.data.view} headless={loaded.data.headless} />
      ) : loaded.error !== undefined ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
