/**
 * Per-model facts derived from the model id (wire-format §2). Model catalogues change monthly, so the
 * families live in data tables matched by pattern, first match wins; a model listed by the upstream
 * with `thinking: true` upgrades an otherwise unknown id to "thinks".
 */
import type { GeminiModel, GeminiThinkingLevel } from './gemini-types';

export type ThinkingCapability =
  | { kind: 'budget'; min: number; max: number; canDisable: boolean; defaultOn: boolean }
  | { kind: 'level'; levels: GeminiThinkingLevel[] }
  | { kind: 'none' };

export interface ModelCapabilities {
  thinking: ThinkingCapability;
  /** `candidateCount` > 1 allowed (2.5 family yes; Gemini 3 and image models no). */
  multipleCandidates: boolean;
  /** Image-generation model: the request must ask for `["TEXT","IMAGE"]`. */
  imageOutput: boolean;
  /** False where the model rejects `systemInstruction` (early image models, Gemma). */
  systemInstruction: boolean;
  /**
   * `presencePenalty` / `frequencyPenalty` accepted. Only the 1.5 and 2.0 text models take them;
   * 2.5, Gemini 3, the experimental and thinking variants answer 400 "Penalty is not enabled for
   * models/…" to any value, so clients whose penalty sliders were moved would get nothing.
   */
  penalties: boolean;
  /**
   * `responseMimeType: application/json` accepted beside function declarations: Gemini 3 and later.
   * Earlier models answer 400 "Function calling with a response mime type: 'application/json' is
   * unsupported" (json-mode-beside-functions.ts).
   */
  jsonModeBesideFunctions: boolean;
  /**
   * Function calls of the current turn must carry their thought signature (wire-format §1.5.5):
   * Gemini 3, the level-thinking family.
   */
  enforcesThoughtSignatures: boolean;
}

/** Lowest to highest; level lists below are always written in this order. */
export const THINKING_LEVEL_ORDER: readonly GeminiThinkingLevel[] = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];

const NONE: ThinkingCapability = { kind: 'none' };
const budget = (min: number, max: number, canDisable: boolean, defaultOn: boolean): ThinkingCapability => ({
  kind: 'budget',
  min,
  max,
  canDisable,
  defaultOn,
});
const levels = (...list: GeminiThinkingLevel[]): ThinkingCapability => ({ kind: 'level', levels: list });

/**
 * Thinking families (§2.1, §2.2), first match wins, so more specific ids come first
 * (`2.5-flash-image` and `2.5-flash-lite` before `2.5-flash`). `*-latest` aliases follow their family.
 */
const THINKING_FAMILIES: readonly { pattern: RegExp; thinking: ThinkingCapability }[] = [
  // Speech and live-audio variants share a family prefix but do not take thinkingConfig.
  { pattern: /-tts\b|native-audio|-live\b/, thinking: NONE },
  { pattern: /^gemini-2\.5-flash-image/, thinking: NONE },
  {
    pattern: /^gemini-2\.5-flash-lite|^gemini-flash-lite-latest$/,
    thinking: budget(512, 24576, true, false),
  },
  { pattern: /^gemini-2\.5-flash|^gemini-flash-latest$/, thinking: budget(0, 24576, true, true) },
  { pattern: /^gemini-2\.5-pro|^gemini-pro-latest$/, thinking: budget(128, 32768, false, true) },
  { pattern: /^gemini-3(\.0)?-pro-image|^nano-banana-pro/, thinking: levels('LOW', 'HIGH') },
  { pattern: /^gemini-3(\.0)?-pro/, thinking: levels('LOW', 'HIGH') },
  { pattern: /^gemini-3(\.0)?-flash-lite/, thinking: levels('MINIMAL', 'LOW', 'MEDIUM', 'HIGH') },
  { pattern: /^gemini-3(\.0)?-flash(?!-image)/, thinking: levels('MINIMAL', 'LOW', 'MEDIUM', 'HIGH') },
  { pattern: /^gemini-3\.1-pro/, thinking: levels('LOW', 'MEDIUM', 'HIGH') },
  { pattern: /^gemini-3\.1-flash-lite/, thinking: levels('MINIMAL', 'LOW', 'MEDIUM', 'HIGH') },
  { pattern: /^gemini-(1\.|2\.0)/, thinking: NONE },
  { pattern: /^gemma/, thinking: NONE },
];

/** Image-generation models (§2.3); `imagen` also contains "image" and does output images. */
const IMAGE_OUTPUT_PATTERNS: readonly RegExp[] = [/^gemini-2\.0-flash-exp$/, /image/, /^nano-banana/];

/** Models that answer 400 to a `systemInstruction` (§1.4.2). */
const NO_SYSTEM_INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /^gemini-2\.0-flash-exp-image-generation/,
  /^gemini-2\.0-flash-preview-image-generation/,
  /^gemma/,
];

/** Gemini 3 and later: one candidate only (§2.2; image models too, §2.3), JSON mode beside tools. */
const GEMINI_3_ON_PATTERNS: readonly RegExp[] = [/^gemini-([3-9]|\d\d)/];

/** The families that accept penalties; their thinking variants do not. */
const PENALTY_PATTERNS: readonly RegExp[] = [/^gemini-(1\.5|2\.0)-/];
const NO_PENALTY_PATTERNS: readonly RegExp[] = [/thinking/];

/** Models that never serve generateContent, whatever their listing says (§1.3). */
const NON_CHAT_PATTERNS: readonly RegExp[] = [/embedding/, /^imagen/, /^veo/, /^aqa$/];

/**
 * An unknown model the upstream says thinks: Gemini 3+ ids take levels (LOW and HIGH are accepted by
 * every Gemini 3 model); anything else takes budgets in the range every 2.5 model accepts.
 */
const UNKNOWN_THINKER_LEVELS = levels('LOW', 'HIGH');
const UNKNOWN_THINKER_BUDGET = budget(512, 24576, false, true);

const normaliseId = (modelId: string): string => modelId.replace(/^models\//, '').toLowerCase();
const matchesAny = (patterns: readonly RegExp[], id: string): boolean => patterns.some((p) => p.test(id));

const thinkingOf = (id: string, listed?: GeminiModel): ThinkingCapability => {
  const family = THINKING_FAMILIES.find((f) => f.pattern.test(id));
  if (family) return family.thinking;
  if (listed?.thinking === true) {
    return matchesAny(GEMINI_3_ON_PATTERNS, id) ? UNKNOWN_THINKER_LEVELS : UNKNOWN_THINKER_BUDGET;
  }
  return NONE;
};

export function capabilitiesOf(modelId: string, listed?: GeminiModel): ModelCapabilities {
  const id = normaliseId(modelId);
  const imageOutput = matchesAny(IMAGE_OUTPUT_PATTERNS, id);
  const thinking = thinkingOf(id, listed);
  return {
    thinking,
    multipleCandidates: !imageOutput && !matchesAny(GEMINI_3_ON_PATTERNS, id),
    imageOutput,
    systemInstruction: !matchesAny(NO_SYSTEM_INSTRUCTION_PATTERNS, id),
    penalties: !imageOutput && matchesAny(PENALTY_PATTERNS, id) && !matchesAny(NO_PENALTY_PATTERNS, id),
    jsonModeBesideFunctions: matchesAny(GEMINI_3_ON_PATTERNS, id),
    enforcesThoughtSignatures: thinking.kind === 'level',
  };
}

/** Budgets advertised as `-thinking-<N>` examples in /v1/models. */
const EXAMPLE_BUDGETS = [1024, 8192] as const;

const isChatModel = (id: string, model: GeminiModel): boolean => {
  if (matchesAny(NON_CHAT_PATTERNS, id)) return false;
  const methods = model.supportedGenerationMethods;
  return methods === undefined || methods.includes('generateContent');
};

/** Whether `-nothinking` changes anything: thinking can be switched off or set below its default. */
const canLowerThinking = (thinking: ThinkingCapability): boolean => {
  switch (thinking.kind) {
    case 'budget':
      return thinking.canDisable || thinking.min < thinking.max;
    case 'level':
      return thinking.levels.length > 1;
    case 'none':
      return false;
  }
};

/** Extra model ids for /v1/models that select a thinking setting through resolveModel's suffixes. */
export function thinkingVariantIds(model: GeminiModel): string[] {
  const id = model.name.replace(/^models\//, '');
  if (!isChatModel(id.toLowerCase(), model)) return [];
  const { thinking } = capabilitiesOf(id, model);
  if (thinking.kind === 'none') return [];
  const budgets = EXAMPLE_BUDGETS.filter(
    (b) => thinking.kind === 'level' || (b >= thinking.min && b <= thinking.max),
  );
  return [
    ...(canLowerThinking(thinking) ? [`${id}-nothinking`] : []),
    `${id}-maxthinking`,
    ...budgets.map((b) => `${id}-thinking-${b}`),
  ];
}
