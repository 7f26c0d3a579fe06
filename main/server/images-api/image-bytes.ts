/**
 * What an uploaded file really is, from its first bytes. Clients label uploads loosely
 * (`application/octet-stream`, a PNG named `.jpg`), and Gemini must be told the true type, so the
 * declared Content-Type is not trusted. Pure.
 */

export type InputImageType = 'image/png' | 'image/jpeg' | 'image/webp';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** PNG, JPEG or WebP by signature; undefined for anything else (GIF, SVG, HTML, truncated files). */
export function sniffImageType(bytes: Uint8Array): InputImageType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}
