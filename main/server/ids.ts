/**
 * Random ids in the shapes OpenAI clients expect (wire-format §3.3): `chatcmpl-…`, `call_…`. Built
 * from randomUUID, which Node serves from a pre-filled entropy cache — per-request randomBytes calls
 * showed up in the profile. Any unique string works for clients.
 */
import { randomUUID } from 'node:crypto';

const hex32 = (): string => randomUUID().replaceAll('-', '');

export const newCompletionId = (): string => `chatcmpl-${hex32()}`;
export const newToolCallId = (): string => `call_${hex32().slice(0, 24)}`;
