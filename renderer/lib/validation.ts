/**
 * Validation messages in the window's language. A zod issue carries English: the schema's own
 * messages (shared/settings/messages.ts), which come with a code, and zod's built-in ones, whose zh
 * locale reads badly ("数值过小：期望 string >=1 字符"). So the window words both itself, from the code
 * or from the issue's kind and bounds; an issue it does not know keeps zod's text.
 */
import type { z } from 'zod';
import { validationCodeOf } from '../../shared/settings/messages';
import type { MessageKey, Params, Translate } from '../i18n/index';

export type ValidationMessage = { key: MessageKey; params?: Params } | { text: string };

export function issueMessage(issue: z.core.$ZodIssue): ValidationMessage {
  const code = validationCodeOf(issue);
  // Every code of the schema has its words: `validation.${code}` must be a MessageKey (a missing one
  // does not compile).
  if (code !== null) return { key: `validation.${code}` };
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? { key: 'validation.required' }
          : { key: 'validation.minLength', params: { min: Number(issue.minimum) } };
      }
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive === false
          ? { key: 'validation.above', params: { min: Number(issue.minimum) } }
          : { key: 'validation.min', params: { min: Number(issue.minimum) } };
      }
      break;
    case 'too_big':
      if (issue.origin === 'string') {
        return { key: 'validation.maxLength', params: { max: Number(issue.maximum) } };
      }
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive === false
          ? { key: 'validation.below', params: { max: Number(issue.maximum) } }
          : { key: 'validation.max', params: { max: Number(issue.maximum) } };
      }
      break;
    case 'invalid_type':
      if (issue.expected === 'int') return { key: 'validation.integer' };
      if (issue.expected === 'number') return { key: 'validation.number' };
      break;
    default:
      break;
  }
  return { text: issue.message };
}

export const messageText = (message: ValidationMessage, t: Translate): string =>
  'key' in message ? t(message.key, message.params) : message.text;
