/**
 * Grok image models through chat (issue "xAI relay"; wire-format §5.3): the chat request becomes a
 * `POST /v1/images/generations` and xAI's answer becomes image links. Pure: no I/O, no clocks.
 */

/** Named in the issue; any model whose name contains "image" is treated the same way. */
const KNOWN_IMAGE_MODELS: ReadonlySet<string> = new Set([
  'grok-2-image-1212',
  'grok-2-image',
  'grok-imagine-image',
]);

export const isGrokImageModel = (model: unknown): model is string =>
  typeof model === 'string' && (KNOWN_IMAGE_MODELS.has(model) || model.toLowerCase().includes('image'));

export const MAX_IMAGES = 10;

/** `n` of the chat request as xAI accepts it: an integer 1..10, 1 when absent or unusable. */
export function imageCount(n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return 1;
  return Math.min(MAX_IMAGES, Math.max(1, Math.floor(n)));
}

export type ImageResponseFormat = 'url' | 'b64_json';

export interface ImagesRequest {
  model: string;
  prompt: string;
  n: number;
  response_format: ImageResponseFormat;
}

export interface GrokImage {
  url?: string;
  b64_json?: string;
  revised_prompt?: string;
  mime_type?: string;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The images of a generations answer, or undefined when it is not one. */
export function parseImagesAnswer(text: string): GrokImage[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  const images: GrokImage[] = [];
  for (const raw of data as unknown[]) {
    if (!raw || typeof raw !== 'object') continue;
    const item = raw as Record<string, unknown>;
    const url = optionalString(item['url']);
    const b64 = optionalString(item['b64_json']);
    if (url === undefined && b64 === undefined) continue;
    const revised = optionalString(item['revised_prompt']);
    const mime = optionalString(item['mime_type']);
    images.push({
      ...(url !== undefined ? { url } : {}),
      ...(b64 !== undefined ? { b64_json: b64 } : {}),
      ...(revised !== undefined ? { revised_prompt: revised } : {}),
      ...(mime !== undefined ? { mime_type: mime } : {}),
    });
  }
  return images;
}

const DATA_URL_PREFIX = /^data:([^;,]*)(?:;[^,]*)?;base64,/i;

/** The image type by its first bytes; undefined when it is none the image stores know. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42) {
    return 'image/webp';
  }
  return undefined;
}

/**
 * A `b64_json` value as bare base64. xAI documents bare base64, but an older example had a
 * `data:image/…;base64,` prefix (wire-format §5.3): stripped when present, its type kept.
 */
export function stripDataUrlPrefix(raw: string): { base64: string; prefixType: string | undefined } {
  const prefix = DATA_URL_PREFIX.exec(raw);
  return prefix
    ? { base64: raw.slice(prefix[0].length), prefixType: prefix[1] }
    : { base64: raw, prefixType: undefined };
}

/**
 * Decodes a `b64_json` value (prefix stripped). The type comes from the bytes first (what they
 * are), then xAI's `mime_type` or the prefix; grok-2-image answers JPEG.
 */
export function decodeGrokImage(image: GrokImage): { bytes: Buffer; mimeType: string } | undefined {
  const raw = image.b64_json;
  if (raw === undefined) return undefined;
  const { base64, prefixType } = stripDataUrlPrefix(raw);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return undefined;
  const declared = [image.mime_type, prefixType].find((m) => m?.toLowerCase().startsWith('image/'));
  return { bytes, mimeType: sniffImageType(bytes) ?? declared?.toLowerCase() ?? 'image/jpeg' };
}

/** The first revised prompt xAI returned, if any. */
export const revisedPromptOf = (images: readonly GrokImage[]): string | undefined =>
  images.find((i) => i.revised_prompt !== undefined)?.revised_prompt;
