/**
 * POST /xai/v1/images/generations in OpenAI's shape (wire-format §5.3 against §3.9): the request
 * loses the OpenAI fields xAI does not support; the answer gains `created` and loses any
 * `data:…;base64,` prefix of `b64_json`, so OpenAI clients that decode it get bare base64.
 * Everything else — xAI's own fields (aspect_ratio, resolution, usage in ticks) — passes unchanged.
 * Pure: the time is passed in.
 */
import { parseJsonObject } from '../../parse-json';
import { stripDataUrlPrefix } from './grok-images';

/** OpenAI's fields xAI does not support; what xAI does with them is unverified, so it never sees them. */
const UNSUPPORTED_FIELDS: ReadonlySet<string> = new Set(['size', 'quality', 'style']);

export function xaiImagesRequest(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([name]) => !UNSUPPORTED_FIELDS.has(name)));
}

const withBareBase64 = (item: unknown): unknown => {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const image = item as Record<string, unknown>;
  const b64 = image['b64_json'];
  return typeof b64 === 'string' ? { ...image, b64_json: stripDataUrlPrefix(b64).base64 } : image;
};

/**
 * xAI's answer as OpenAI's, or undefined when it is no images answer (no `data` list): then it
 * goes back as it came. `created` (Unix seconds) is xAI's if it ever sends one.
 */
export function openAIImagesAnswer(text: string, created: number): Record<string, unknown> | undefined {
  const answer = parseJsonObject(text);
  const data = answer?.['data'];
  if (answer === undefined || !Array.isArray(data)) return undefined;
  const { created: own, ...rest } = answer;
  return {
    created: typeof own === 'number' ? own : created,
    ...rest,
    data: (data as unknown[]).map(withBareBase64),
  };
}
