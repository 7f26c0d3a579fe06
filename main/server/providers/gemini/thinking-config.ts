/**
 * Decides `generationConfig.thinkingConfig` (wire-format §1.4.6, §2, §4.5) from, in priority order:
 * `extra_body.google.thinking_config` > model-name suffix > `reasoning_effort`. Whatever was asked is
 * clamped into the model family's range or level set, because an out-of-range value is a 400 upstream
 * and the client cannot know each family's limits.
 */
import { ApiError } from '../../errors';
import type { ChatCompletionRequest } from '../../openai/chat-request';
import type { GeminiThinkingConfig, GeminiThinkingLevel } from './gemini-types';
import { THINKING_LEVEL_ORDER, type ModelCapabilities } from './model-capabilities';
import type { ThinkingRequest } from './resolve-model';

type Effort = NonNullable<ChatCompletionRequest['reasoning_effort']>;
type BudgetThinking = Extract<ModelCapabilities['thinking'], { kind: 'budget' }>;
type LevelThinking = Extract<ModelCapabilities['thinking'], { kind: 'level' }>;

/** A thinking request from any source, before it is fitted to the model. */
type ThinkingIntent =
  | ThinkingRequest
  | { kind: 'dynamic' }
  | { kind: 'level'; level: GeminiThinkingLevel }
  | { kind: 'effort'; effort: Effort };

export interface ThinkingSources {
  /** `thinking_config` from `extra_body.google` (snake_case or camelCase keys). */
  extra?: Record<string, unknown>;
  suffix?: ThinkingRequest;
  effort?: ChatCompletionRequest['reasoning_effort'];
}

/** §4.5 budgets for the 2.5 family, clamped afterwards. */
const EFFORT_BUDGETS = { low: 1024, medium: 8192, high: 24576, xhigh: 24576 } as const;
/** `minimal` on a model that can switch thinking off: the smallest budget §4.5 recommends. */
const MINIMAL_BUDGET = 512;
/** A level asked of a budget model means the effort of the same name. */
const LEVEL_EFFORT: Record<GeminiThinkingLevel, Effort> = {
  MINIMAL: 'minimal',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
};
/** Gemini's "let the model decide" budget. */
const DYNAMIC_BUDGET = -1;

const EXTRA_PARAM = 'extra_body.google.thinking_config';

const pick = (record: Record<string, unknown>, snake: string, camel: string): unknown =>
  record[snake] ?? record[camel];

const invalidExtra = (what: string): ApiError =>
  new ApiError('invalid_request', `Invalid ${EXTRA_PARAM}: ${what}.`, { param: EXTRA_PARAM });

const parseExtraBudget = (value: unknown): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalidExtra('thinking_budget must be an integer');
  return Math.trunc(n);
};

const parseExtraLevel = (value: unknown): GeminiThinkingLevel | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidExtra('thinking_level must be a string');
  const upper = value.toUpperCase();
  if (upper === 'THINKING_LEVEL_UNSPECIFIED') return undefined;
  const level = THINKING_LEVEL_ORDER.find((l) => l === upper);
  if (!level) throw invalidExtra(`thinking_level must be one of ${THINKING_LEVEL_ORDER.join(', ')}`);
  return level;
};

const parseExtraIncludeThoughts = (value: unknown): boolean | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidExtra('include_thoughts must be a boolean');
  return value;
};

const budgetIntent = (budget: number): ThinkingIntent =>
  budget < 0 ? { kind: 'dynamic' } : budget === 0 ? { kind: 'off' } : { kind: 'budget', budget };

/** The extra's own amount; a level wins on level models and a budget on budget models. */
const extraIntent = (extra: Record<string, unknown>, caps: ModelCapabilities): ThinkingIntent | undefined => {
  const budget = parseExtraBudget(pick(extra, 'thinking_budget', 'thinkingBudget'));
  const level = parseExtraLevel(pick(extra, 'thinking_level', 'thinkingLevel'));
  const budgetFirst = caps.thinking.kind === 'budget';
  if (budget !== undefined && (budgetFirst || level === undefined)) return budgetIntent(budget);
  return level === undefined ? undefined : { kind: 'level', level };
};

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

const effortBudget = (effort: Effort, t: BudgetThinking): number => {
  switch (effort) {
    case 'none':
      return t.canDisable ? 0 : t.min;
    case 'minimal':
      // Where thinking cannot be switched off, "minimal" is the floor, as in the §4.5 table.
      return t.canDisable ? clamp(MINIMAL_BUDGET, t.min, t.max) : t.min;
    case 'max':
      return t.max;
    default:
      return clamp(EFFORT_BUDGETS[effort], t.min, t.max);
  }
};

const budgetFor = (intent: ThinkingIntent, t: BudgetThinking): number => {
  switch (intent.kind) {
    case 'off':
      return t.canDisable ? 0 : t.min;
    case 'max':
      return t.max;
    case 'dynamic':
      return DYNAMIC_BUDGET;
    case 'budget':
      return clamp(intent.budget, t.min, t.max);
    case 'level':
      return effortBudget(LEVEL_EFFORT[intent.level], t);
    case 'effort':
      return effortBudget(intent.effort, t);
  }
};

/** The nearest allowed level at or above `wanted`, else the highest allowed. */
const levelAtLeast = (wanted: GeminiThinkingLevel, t: LevelThinking): GeminiThinkingLevel | undefined => {
  const rank = THINKING_LEVEL_ORDER.indexOf(wanted);
  const allowed = THINKING_LEVEL_ORDER.filter((l) => t.levels.includes(l));
  return allowed.find((l) => THINKING_LEVEL_ORDER.indexOf(l) >= rank) ?? allowed.at(-1);
};

const lowestLevel = (t: LevelThinking) => levelAtLeast('MINIMAL', t);
const highestLevel = (t: LevelThinking) => levelAtLeast('HIGH', t);

const budgetToLevel = (budget: number, t: LevelThinking): GeminiThinkingLevel | undefined => {
  if (budget <= 0) return lowestLevel(t);
  if (budget <= 1024) return levelAtLeast('LOW', t);
  if (budget <= 8192) return levelAtLeast('MEDIUM', t);
  return highestLevel(t);
};

const effortLevel = (effort: Effort, t: LevelThinking): GeminiThinkingLevel | undefined => {
  switch (effort) {
    case 'none':
    case 'minimal':
      return lowestLevel(t);
    case 'low':
      return levelAtLeast('LOW', t);
    case 'medium':
      return levelAtLeast('MEDIUM', t);
    default:
      return highestLevel(t);
  }
};

/** `undefined` for `dynamic`: Gemini 3's default already is dynamic thinking. */
const levelFor = (intent: ThinkingIntent, t: LevelThinking): GeminiThinkingLevel | undefined => {
  switch (intent.kind) {
    case 'off':
      return lowestLevel(t);
    case 'max':
      return highestLevel(t);
    case 'dynamic':
      return undefined;
    case 'budget':
      return budgetToLevel(intent.budget, t);
    case 'level':
      return levelAtLeast(intent.level, t);
    case 'effort':
      return effortLevel(intent.effort, t);
  }
};

export function thinkingConfigFor(
  caps: ModelCapabilities,
  sources: ThinkingSources,
  includeThoughts: boolean,
): GeminiThinkingConfig | undefined {
  const t = caps.thinking;
  // Models without thinking answer 400 to any thinkingConfig, so nothing is sent whatever was asked.
  if (t.kind === 'none') return undefined;

  const extra = sources.extra ?? {};
  const intent: ThinkingIntent | undefined =
    extraIntent(extra, caps) ??
    sources.suffix ??
    (sources.effort === undefined ? undefined : { kind: 'effort', effort: sources.effort });
  const wantThoughts =
    parseExtraIncludeThoughts(pick(extra, 'include_thoughts', 'includeThoughts')) ?? includeThoughts;

  const config: GeminiThinkingConfig = {};
  let thinks: boolean;
  if (t.kind === 'budget') {
    if (intent !== undefined) config.thinkingBudget = budgetFor(intent, t);
    thinks = config.thinkingBudget === undefined ? t.defaultOn : config.thinkingBudget !== 0;
  } else {
    const level = intent === undefined ? undefined : levelFor(intent, t);
    if (level !== undefined) config.thinkingLevel = level;
    thinks = true; // Gemini 3 cannot switch thinking off (§2.2)
  }
  if (wantThoughts && thinks) config.includeThoughts = true;
  return Object.keys(config).length === 0 ? undefined : config;
}
