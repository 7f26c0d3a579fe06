/**
 * Names and URLs of the images Gemgate serves itself (memory and local stores, DESIGN §6, §10).
 *
 * These bytes are answered from the gateway's own origin, the one the admin UI lives on, so only
 * raster types a browser will never run are accepted: `text/html` or `image/svg+xml` saved here
 * would be script on our origin. A name is `<id>.<ext>` with a generated id and the extension of
 * the MIME type; nothing of a request ever becomes part of a path.
 */
import { IMAGE_ID_PATTERN, IMAGE_MIME_EXTENSIONS } from './image-store';

/** Path prefix under which the gateway serves memory and local images. */
export const SERVED_IMAGES_PREFIX = '/images/';

const MIME_BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries(IMAGE_MIME_EXTENSIONS).map(([mime, ext]) => [ext, mime]),
);

/** Upstreams spell the same type differently (`image/JPEG`, `image/jpg`, `image/png; x=y`). */
const MIME_ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg' };

/** The canonical servable MIME type for `mimeType`, or undefined when the gateway must not serve it. */
export function servableMimeType(mimeType: string): string | undefined {
  const bare = (mimeType.split(';', 1)[0] ?? '').trim().toLowerCase();
  const canonical = MIME_ALIASES[bare] ?? bare;
  return Object.hasOwn(IMAGE_MIME_EXTENSIONS, canonical) ? canonical : undefined;
}

/** Like servableMimeType, but throws: saving something the gateway cannot serve is a caller bug. */
export function requireServableMimeType(mimeType: string): string {
  const canonical = servableMimeType(mimeType);
  if (canonical === undefined) {
    throw new TypeError(
      `Unsupported image type "${mimeType}": only ${Object.keys(IMAGE_MIME_EXTENSIONS).join(', ')} are stored.`,
    );
  }
  return canonical;
}

/** The MIME type an extension stands for (`png` → `image/png`), or undefined. */
export const mimeTypeForExtension = (ext: string): string | undefined => MIME_BY_EXTENSION.get(ext);

const FILE_NAME = /^([0-9a-z]{9}-[0-9a-f]{16})\.([a-z]{3,4})$/;

export interface ImageFileName {
  id: string;
  ext: string;
  mimeType: string;
}

/**
 * Parses `<id>.<ext>` strictly: a valid generated id and a known extension, nothing else (no
 * separators, dots, NULs, upper case, encodings). Anything that does not parse names no image.
 */
export function parseImageFileName(name: string): ImageFileName | undefined {
  const match = FILE_NAME.exec(name);
  if (!match) return undefined;
  const [, id = '', ext = ''] = match;
  const mimeType = mimeTypeForExtension(ext);
  if (!IMAGE_ID_PATTERN.test(id) || mimeType === undefined) return undefined;
  return { id, ext, mimeType };
}

/** `/images/<id>.<ext>` for a key, or the key of such a path (undefined for any other path). */
export const servedImageUrl = (key: string): string => `${SERVED_IMAGES_PREFIX}${key}`;

export function imageFileNameOfPath(path: string): ImageFileName | undefined {
  return path.startsWith(SERVED_IMAGES_PREFIX)
    ? parseImageFileName(path.slice(SERVED_IMAGES_PREFIX.length))
    : undefined;
}
