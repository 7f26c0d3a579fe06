/**
 * Validation messages in the window's language. A zod issue carries English: the schema's own
 * messages (shared/settings/messages.ts), which come with a code, and zod's built-in ones, whose zh
 * locale reads badly ("数值过小：期望 string >=1 字符"). So the window words both itself, from the code
 * or from the issue's kind and bounds; an issue it does not know keeps zod's text.
 */
import type { z } from 'zod';
import { validationCodeOf, type ValidationCode } from '../../shared/settings/messages';
import type { MessageKey, Params, Translate } from '../i18n/index';

export type ValidationMessage = { key: MessageKey; params?: Params } | { text: string };

/** Every code of the schema has its words (a missing one does not compile). */
const CODE_KEYS: Record<ValidationCode, MessageKey> = {
  http_url: 'validation.http_url',
  http_url_or_empty: 'validation.http_url_or_empty',
  ip_or_cidr: 'validation.ip_or_cidr',
  trust_proxy: 'validation.trust_proxy',
  domain: 'validation.domain',
  qiniu_region: 'validation.qiniu_region',
  cos_region: 'validation.cos_region',
  proxy_url: 'validation.proxy_url',
};

const bound = (v: number | bigint): number => Number(v);

export function issueMessage(issue: z.core.$ZodIssue): ValidationMessage {
  const code = validationCodeOf(issue);
  if (code !== null) return { key: CODE_KEYS[code] };
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return bound(issue.minimum) <= 1
          ? { key: 'validation.required' }
          : { key: 'validation.minLength', params: { min: bound(issue.minimum) } };
      }
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive === false
          ? { key: 'validation.above', params: { min: bound(issue.minimum) } }
          : { key: 'validation.min', params: { min: bound(issue.minimum) } };
      }
      break;
    case 'too_big':
      if (issue.origin === 'string') {
        return { key: 'validation.maxLength', params: { max: bound(issue.maximum) } };
      }
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive === false
          ? { key: 'validation.below', params: { max: bound(issue.maximum) } }
          : { key: 'validation.max', params: { max: bound(issue.maximum) } };
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
