/**
 * The create / edit dialog of access keys: drafts as the inputs hold them (numbers as text, the
 * expiry as a date input's yyyy-mm-dd), turned into the contract's input or patch and validated by
 * its own zod schemas, whose messages the dialog words in the window's language. An empty limit means
 * "none", an empty date "never".
 */
import type { z } from 'zod';
import {
  accessKeyInputSchema,
  accessKeyPatchSchema,
  type AccessKeyDto,
  type AccessKeyInput,
  type AccessKeyPatch,
} from '../../shared/admin-contract';
import { issueMessage, type ValidationMessage } from './validation';

export interface AccessKeyDraft {
  name: string;
  enabled: boolean;
  limit: string;
  dailyReset: boolean;
  perMinute: string;
  /** yyyy-mm-dd (local), '' = never. */
  expires: string;
  resetUsage: boolean;
}

export type DraftErrors = Partial<Record<keyof AccessKeyDraft, ValidationMessage>>;
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: DraftErrors };

export const emptyDraft = (): AccessKeyDraft => ({
  name: '',
  enabled: true,
  limit: '',
  dailyReset: false,
  perMinute: '',
  expires: '',
  resetUsage: false,
});

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of a time, as a date input wants it. */
export function dateInputOf(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A key "expiring on" a day stays valid through that whole (local) day. NaN for a malformed date. */
export function expiryOf(date: string): number | null {
  if (date === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999).getTime();
}

const optionalNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text.trim()));

export const draftOf = (key: AccessKeyDto): AccessKeyDraft => ({
  name: key.name,
  enabled: key.enabled,
  limit: key.limit === null ? '' : String(key.limit),
  dailyReset: key.dailyReset,
  perMinute: key.perMinute === null ? '' : String(key.perMinute),
  expires: dateInputOf(key.expiresAt),
  resetUsage: false,
});

const FIELD_OF: Record<string, keyof AccessKeyDraft> = { expiresAt: 'expires' };

function check<T>(schema: z.ZodType<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const errors: DraftErrors = {};
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? 'name');
    const field = FIELD_OF[name] ?? (name as keyof AccessKeyDraft);
    errors[field] ??= issueMessage(issue);
  }
  return { ok: false, errors };
}

export function inputOf(draft: AccessKeyDraft): Checked<AccessKeyInput> {
  return check(accessKeyInputSchema, {
    name: draft.name,
    enabled: draft.enabled,
    limit: optionalNumber(draft.limit),
    dailyReset: draft.dailyReset,
    perMinute: optionalNumber(draft.perMinute),
    expiresAt: expiryOf(draft.expires),
  });
}

/** Only what the dialog changed (the expiry compares by day, as it was edited). */
export function patchOf(original: AccessKeyDto, draft: AccessKeyDraft): Checked<AccessKeyPatch> {
  const before = draftOf(original);
  const patch: Record<string, unknown> = {};
  if (draft.name !== before.name) patch.name = draft.name;
  if (draft.enabled !== before.enabled) patch.enabled = draft.enabled;
  if (draft.limit.trim() !== before.limit) patch.limit = optionalNumber(draft.limit);
  if (draft.dailyReset !== before.dailyReset) patch.dailyReset = draft.dailyReset;
  if (draft.perMinute.trim() !== before.perMinute) patch.perMinute = optionalNumber(draft.perMinute);
  if (draft.expires !== before.expires) patch.expiresAt = expiryOf(draft.expires);
  if (draft.resetUsage) patch.resetUsage = true;
  return check(accessKeyPatchSchema, patch);
}
