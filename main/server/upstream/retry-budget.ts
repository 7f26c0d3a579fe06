import type { Settings } from '../../../shared/settings-schema';
import type { RetryBudget } from '../providers/gemini/failover';

export const retryBudgetOf = (s: Settings): RetryBudget => ({
  rateLimited: s.gemini429Retries,
  transient: s.gemini503Retries,
  empty: s.geminiEmptyResponseRetries,
  delayMs: s.geminiRetryDelay * 1000,
});
