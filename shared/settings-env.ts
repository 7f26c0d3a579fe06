/**
 * Environment variables → Settings, for the headless server (pure: the caller passes the env).
 * Names and defaults are those of the Python proxy Gemgate replaces; an unset or blank variable means
 * "use the default" (the seed treated `PASSWORD=` as "use 123", and HF Spaces secrets can't be unset).
 */
import type { z } from 'zod';
import {
  defaultFor,
  settingKeys,
  settingSpecs,
  type EnvFormat,
  type RunMode,
  type SettingKey,
  type Settings,
} from './settings-schema';

export type EnvSource = Readonly<Record<string, string | undefined>>;

export type EnvParseResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/**
 * Between entries: whitespace and newlines, commas and semicolons — full-width ones too (a Chinese
 * input method types `，`), the ideographic comma `、` — and pipes.
 */
const SEPARATORS = /[\s,;，；、|]+/;
/**
 * Quotes and brackets around entries: the Python proxy picked its keys out of any text, so values
 * such as `"AIza…","AIza…"` or a pasted JSON array `["AIza…", "AIza…"]` worked there and must here.
 */
const WRAPPING = /^["'`[\]{}()]+|["'`[\]{}()]+$/g;

/** A list as people write it; blanks and duplicates dropped, order kept. */
export const splitList = (raw: string): string[] => [
  ...new Set(
    raw
      .split(SEPARATORS)
      .map((entry) => entry.replace(WRAPPING, ''))
      .filter(Boolean),
  ),
];

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

type Converted = { ok: true; value: unknown } | { ok: false; error: string };

const convert = (format: EnvFormat, raw: string): Converted => {
  switch (format) {
    case 'string':
      return { ok: true, value: raw };
    case 'integer':
      return /^[+-]?\d+$/.test(raw)
        ? { ok: true, value: Number(raw) }
        : { ok: false, error: `expected a whole number, got "${raw}"` };
    case 'number':
      return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw)
        ? { ok: true, value: Number(raw) }
        : { ok: false, error: `expected a number, got "${raw}"` };
    case 'boolean': {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return { ok: true, value: true };
      if (FALSE.has(v)) return { ok: true, value: false };
      return { ok: false, error: `expected true or false, got "${raw}"` };
    }
    case 'list':
    case 'keys':
      return { ok: true, value: splitList(raw) };
  }
};

const readEnv = (env: EnvSource, key: SettingKey): string | undefined => {
  const s = settingSpecs[key];
  const names = [s.env, ...('envAliases' in s ? (s.envAliases as readonly string[]) : [])];
  for (const name of names) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
};

/**
 * Choices are spelled in lower case (`memory`, `last`, `url`); the Python proxy lower-cased some of
 * them, so `IMAGE_STORAGE_TYPE=Local` worked there. A value refused as written is tried in lower case
 * before it counts as an error.
 */
const parseAnyCase = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success || typeof value !== 'string' || value === value.toLowerCase()) return parsed;
  const lower = schema.safeParse(value.toLowerCase());
  return lower.success ? lower : parsed;
};

export const parseSettingsFromEnv = (env: EnvSource, mode: RunMode): EnvParseResult => {
  const settings: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const key of settingKeys) {
    const s = settingSpecs[key];
    const raw = readEnv(env, key);
    if (raw === undefined) {
      settings[key] = defaultFor(key, mode);
      continue;
    }
    const converted = convert(s.envFormat, raw);
    if (!converted.ok) {
      errors.push(`${s.env}: ${converted.error}`);
      continue;
    }
    const schema: z.ZodType = s.schema;
    const parsed = parseAnyCase(schema, converted.value);
    if (parsed.success) settings[key] = parsed.data;
    else {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (item ${issue.path.map(String).join('.')})` : '';
      errors.push(`${s.env}: ${issue?.message ?? 'invalid value'}${where}`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: settings as Settings };
};
