/**
 * Object keys of the cloud stores (Qiniu, COS): `<prefix><id>.<ext>`. The port addresses images by
 * id only, so the extension chosen at save time is remembered (bounded) and, for ids saved before a
 * restart, every extension a store can write is tried.
 */
import { IMAGE_ID_PATTERN, IMAGE_MIME_EXTENSIONS, extensionFor } from './image-store';
import { mimeTypeForExtension } from './served-images';

const ALL_EXTENSIONS: readonly string[] = [...new Set(Object.values(IMAGE_MIME_EXTENSIONS))];
/** Enough for every image of a session; older ids fall back to trying each extension. */
const REMEMBERED_IDS = 10_000;

export class ObjectKeys {
  readonly #prefix: string;
  readonly #extensions = new Map<string, string>();

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  keyFor(id: string, mimeType: string): string {
    return `${this.#prefix}${id}.${extensionFor(mimeType)}`;
  }

  remember(id: string, mimeType: string): void {
    this.#extensions.set(id, extensionFor(mimeType));
    if (this.#extensions.size > REMEMBERED_IDS) {
      const oldest = this.#extensions.keys().next();
      if (oldest.done !== true) this.#extensions.delete(oldest.value);
    }
  }

  forget(id: string): void {
    this.#extensions.delete(id);
  }

  /** Keys the image may live under; none for ids this store cannot have made (`../x`, ``). */
  candidates(id: string): string[] {
    if (!IMAGE_ID_PATTERN.test(id)) return [];
    const known = this.#extensions.get(id);
    return (known === undefined ? ALL_EXTENSIONS : [known]).map((ext) => `${this.#prefix}${id}.${ext}`);
  }

  /** The media type a key was saved with, from its extension. */
  mimeTypeOf(key: string): string | undefined {
    return mimeTypeForExtension(key.slice(key.lastIndexOf('.') + 1));
  }
}

/**
 * The public base URL of a bucket domain setting: `img.example.com` → `https://img.example.com`
 * (HTTPS unless the setting names a scheme), without a trailing slash.
 */
export function publicBaseUrl(domain: string): string {
  const trimmed = domain.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** `<base>/<key>` with each key segment URL-encoded (a custom prefix may hold any character). */
export const objectUrl = (base: string, key: string): string =>
  `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** "Qiniu storage needs QINIU_ACCESS_KEY, QINIU_BUCKET_DOMAIN", or undefined when nothing is missing. */
export function missingSettings(service: string, settings: Readonly<Record<string, string | undefined>>) {
  const missing = Object.entries(settings)
    .filter(([, value]) => (value ?? '').trim() === '')
    .map(([name]) => name);
  return missing.length > 0 ? `${service} storage needs ${missing.join(', ')}` : undefined;
}

/** An absolute http(s) URL with a host (QINIU_UPLOAD_URL, TENCENT_ENDPOINT). */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}
