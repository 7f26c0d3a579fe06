import type { FinishReason } from '../../openai/chat-response';

/**
 * Gemini `finishReason` → OpenAI `finish_reason` (wire-format §4.6.1).
 *
 * Typed OpenAI clients enumerate the allowed values, so a raw Gemini value is never passed through:
 * everything that is neither a length cut nor a filter ends as `stop`.
 */
const CONTENT_FILTER_REASONS: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * `sawToolCall` turns a would-be `stop` into `tool_calls`: Gemini has no function-call finish reason
 * (a call turn ends with STOP), and many clients only run tools when `finish_reason` says so. Gemini
 * calls always arrive complete, so the calls are runnable even when the turn ended for another
 * "stop-like" reason; a length cut or a filter keeps its own, more important, signal.
 */
export function mapFinishReason(reason: string | undefined, sawToolCall: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && CONTENT_FILTER_REASONS.has(reason)) return 'content_filter';
  return sawToolCall ? 'tool_calls' : 'stop';
}
