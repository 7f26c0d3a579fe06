/**
 * The settings form is generated from the settings schema (DESIGN §3): one section per group, one
 * field per setting, the input chosen from the zod type, validation by the setting's own schema.
 * Inputs hold drafts (text as typed, booleans for switches); only drafts that differ from what the
 * form started from are sent, and a secret still showing SECRET_MASK is left out (= unchanged).
 * A blank number or text field stands for the setting's default, as a blank environment variable
 * does (a blank secret is the empty value: clearing a password must not set "123").
 */
import { z } from 'zod';
import { SECRET_MASK, type SettingsPatch, type SettingsView } from '../../shared/admin-contract';
import {
  defaultFor,
  emptyMeaning,
  helpFor,
  settingKeys,
  settingSpecs,
  type RunMode,
  type SettingGroup,
  type SettingKey,
  type Text,
} from '../../shared/settings-schema';
import { issueMessage, type ValidationMessage } from './validation';

export type FieldKind = 'enum' | 'boolean' | 'number' | 'text' | 'list';

/**
 * When a saved change takes effect where the form runs: `now`; `listener` (the tray moves its
 * listener); `next-start` (nothing restarts here: headless never moves its listener, and DATA_DIR
 * waits for the next start everywhere); `deployment` (headless: only the deployment sets it, the form
 * shows it read-only).
 */
export type Applies = 'now' | 'listener' | 'next-start' | 'deployment';

export interface SettingField {
  key: SettingKey;
  group: SettingGroup;
  kind: FieldKind;
  env: string;
  secret: boolean;
  applies: Applies;
  /** The help as this mode words it (an empty OUTBOUND_PROXY does something else in the tray). */
  help: Text;
  /** What leaving the field empty does in this mode, where the modes differ: shown in the empty field. */
  emptyHint?: Text;
  /** The default this mode has, as a draft: what a blank number or text field stands for. */
  blankDefault?: string;
  options?: readonly string[];
  min?: number;
  max?: number;
  /** 1 for integers. */
  step?: number | 'any';
}

export const SETTING_GROUPS: readonly SettingGroup[] = [
  'server',
  'auth',
  'limits',
  'gemini',
  'images',
  'xai',
];

/** Edited on the Keys page (bulk paste, health), not as a raw list here. */
export const MANAGED_ELSEWHERE: readonly SettingKey[] = ['geminiApiKeys'];

/** z.number().int() reports ±MAX_SAFE_INTEGER when no bound was given: that is no bound. */
const bound = (v: number | null | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined;

export function appliesOf(key: SettingKey, mode: RunMode): Applies {
  const spec = settingSpecs[key];
  if (mode === 'headless' && spec.setByDeployment === true) return 'deployment';
  if (spec.restart === 'listener') return mode === 'tray' ? 'listener' : 'next-start';
  return spec.restart === 'start' ? 'next-start' : 'now';
}

export function fieldOf(key: SettingKey, mode: RunMode): SettingField {
  const spec = settingSpecs[key];
  const schema: z.ZodType = spec.schema;
  const base = {
    key,
    group: spec.group,
    env: spec.env,
    secret: spec.secret === true,
    applies: appliesOf(key, mode),
    help: helpFor(key, mode),
  };
  const emptyHint = emptyMeaning(key, mode);
  const fallback: unknown = defaultFor(key, mode);
  if (schema instanceof z.ZodEnum) return { ...base, kind: 'enum', options: schema.options.map(String) };
  if (schema instanceof z.ZodBoolean) return { ...base, kind: 'boolean' };
  if (schema instanceof z.ZodNumber) {
    return {
      ...base,
      kind: 'number',
      min: bound(schema.minValue),
      max: bound(schema.maxValue),
      step: schema.isInt ? 1 : 'any',
      ...(typeof fallback === 'number' ? { blankDefault: String(fallback) } : {}),
    };
  }
  if (schema instanceof z.ZodArray) return { ...base, kind: 'list' };
  return {
    ...base,
    kind: 'text',
    ...(emptyHint ? { emptyHint } : {}),
    // An empty default needs no filling in: blank already is the default.
    ...(!base.secret && typeof fallback === 'string' && fallback !== '' ? { blankDefault: fallback } : {}),
  };
}

export interface FormSection {
  group: SettingGroup;
  fields: SettingField[];
}

export const formSections = (mode: RunMode): FormSection[] =>
  SETTING_GROUPS.map((group) => ({
    group,
    fields: settingKeys
      .filter((k) => settingSpecs[k].group === group && !MANAGED_ELSEWHERE.includes(k))
      .map((k) => fieldOf(k, mode)),
  }));

export type Draft = string | boolean;
export type Drafts = Partial<Record<SettingKey, Draft>>;

/** Lists are edited one item per line; commas separate too, as in the environment variables. */
const LIST_SEPARATOR = /[\r\n,]+/;

export function draftOfValue(field: SettingField, value: unknown): Draft {
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'list':
      return Array.isArray(value) ? value.map(String).join('\n') : '';
    case 'number':
      return typeof value === 'number' ? String(value) : '';
    default:
      return typeof value === 'string' ? value : '';
  }
}

/** What a field starts from: a secret that is set shows the mask, never its value. */
export function initialDraft(field: SettingField, view: SettingsView): Draft {
  if (field.secret) return view.secretsSet.includes(field.key) ? SECRET_MASK : '';
  return draftOfValue(field, view.values[field.key]);
}

export const initialDrafts = (fields: readonly SettingField[], view: SettingsView): Drafts =>
  Object.fromEntries(fields.map((f) => [f.key, initialDraft(f, view)]));

/** A revealed secret as a draft; a list may come back in any separator (or as a JSON array). */
export function revealedDraft(field: SettingField, revealed: string): Draft {
  if (field.kind !== 'list') return revealed;
  try {
    const parsed: unknown = JSON.parse(revealed);
    if (Array.isArray(parsed)) return parsed.map(String).join('\n');
  } catch {
    // not JSON: a separated list
  }
  return revealed
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .join('\n');
}

/** The value a draft stands for (what the schema validates and the patch carries). */
export function parseDraft(field: SettingField, draft: Draft): unknown {
  const blank = String(draft).trim() === '';
  if (blank && field.blankDefault !== undefined && field.blankDefault.trim() !== '') {
    return parseDraft(field, field.blankDefault);
  }
  switch (field.kind) {
    case 'boolean':
      return draft === true;
    case 'number': {
      const text = String(draft).trim();
      return text === '' ? Number.NaN : Number(text);
    }
    case 'list':
      return String(draft)
        .split(LIST_SEPARATOR)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      return String(draft);
  }
}

export interface FieldError {
  /** Worded by the window in its language (validation.ts). */
  message: ValidationMessage;
  /** 1-based line of a list item the message is about. */
  line?: number;
}

/** The setting's own zod schema decides; its first issue is shown under the field. */
export function validateDraft(field: SettingField, draft: Draft): FieldError | null {
  if (field.secret && draft === SECRET_MASK) return null;
  const result = settingSpecs[field.key].schema.safeParse(parseDraft(field, draft));
  if (result.success) return null;
  const [issue] = result.error.issues;
  if (!issue) return null;
  const index = issue.path[0];
  return {
    message: issueMessage(issue),
    ...(field.kind === 'list' && typeof index === 'number' ? { line: index + 1 } : {}),
  };
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function isChanged(field: SettingField, draft: Draft, baseline: Draft): boolean {
  if (field.secret && draft === SECRET_MASK) return false;
  return !sameValue(parseDraft(field, draft), parseDraft(field, baseline));
}

/** Only the settings whose drafts differ from their baseline; masked secrets are left out. */
export function buildPatch(
  fields: readonly SettingField[],
  drafts: Drafts,
  baselines: Drafts,
): SettingsPatch {
  const patch: SettingsPatch = {};
  for (const field of fields) {
    const draft = drafts[field.key];
    const baseline = baselines[field.key];
    if (draft !== undefined && baseline !== undefined && isChanged(field, draft, baseline)) {
      patch[field.key] = parseDraft(field, draft);
    }
  }
  return patch;
}

/** Whether saving the patch restarts the listener (the tray's host, port or body limit). */
export const restartsListener = (patch: SettingsPatch, fields: readonly SettingField[]): boolean =>
  fields.some((f) => f.applies === 'listener' && Object.hasOwn(patch, f.key));
