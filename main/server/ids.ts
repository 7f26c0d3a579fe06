/** Random ids in the shapes OpenAI clients expect (wire-format §3.3). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const randomAlphanumeric = (length: number): string => {
  // 62 does not divide 256; the slight bias is irrelevant for ids that only need to be unique.
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out;
};

export const newCompletionId = (): string => `chatcmpl-${randomAlphanumeric(29)}`;
export const newToolCallId = (): string => `call_${randomAlphanumeric(24)}`;
