/**
 * thinkingConfig rules per model (wire-format §1.4.6, §2.1, §2.2, §1.10 "Bad thinking budget").
 * Returns the 400 message, or undefined when the config is acceptable.
 */
import type { GeminiThinkingConfig } from '../../../main/server/providers/gemini/gemini-types';
import type { CatalogueModel } from './catalogue';

export function thinkingConfigProblem(
  config: GeminiThinkingConfig | undefined,
  model: CatalogueModel,
): string | undefined {
  if (config === undefined) return undefined;
  const { thinkingBudget: budget, includeThoughts } = config;
  // Wider than GeminiThinkingLevel: the request may carry THINKING_LEVEL_UNSPECIFIED.
  const level: string | undefined = config.thinkingLevel;
  const caps = model.caps;
  if (caps.thinkingKind === 'none') {
    const setsAnything = budget !== undefined || level !== undefined || includeThoughts !== undefined;
    return setsAnything ? `Thinking is not enabled for models/${model.id}` : undefined;
  }
  if (budget !== undefined && level !== undefined) {
    return 'You can only set only one of thinking budget and thinking level.';
  }
  if (level !== undefined) {
    if (caps.thinkingKind !== 'level') return 'Thinking level is not supported for this model.';
    if (level === 'THINKING_LEVEL_UNSPECIFIED' || caps.levels.includes(level)) return undefined;
    return `Thinking level ${level} is not supported for this model. Please retry with other thinking level.`;
  }
  // Gemini 3 takes budgets "for backwards compatibility" (§2.2); only the 2.5 ranges are policed.
  if (budget === undefined || caps.thinkingKind !== 'budget' || budget === -1) return undefined;
  if (budget === 0)
    return caps.budgetCanDisable ? undefined : 'Budget 0 is invalid. This model only works in thinking mode.';
  if (budget < caps.budgetMin || budget > caps.budgetMax) {
    const low = caps.budgetCanDisable && caps.budgetMin <= 1 ? 0 : caps.budgetMin;
    return `The thinking budget ${budget} is invalid. Please choose a value between ${low} and ${caps.budgetMax}.`;
  }
  return undefined;
}

/** Whether the model thinks for this request (thought tokens are then counted, §1.5.3). */
export function modelThinks(config: GeminiThinkingConfig | undefined, model: CatalogueModel): boolean {
  if (model.caps.thinkingKind === 'none') return false;
  if (model.caps.thinkingKind === 'level') return true;
  return (config?.thinkingBudget ?? model.caps.budgetDefault) !== 0;
}
