/**
 * What every door that produces images does with one (chat, the images endpoints, Grok images on the
 * xAI relay): save it through the image library — index and gallery included — and link it on the
 * caller's origin. A store that cannot take it never costs the image: the failure is logged and the
 * caller returns the image inline instead.
 */
import type { GatewayCore } from '../core';
import type { ImageMeta } from './image-library';
import { absoluteImageUrl } from './public-origin';

/** The image inline, as a `data:` URL: what callers return when it could not be stored. */
export const dataUrlOf = (image: { mimeType: string; data: string }): string =>
  `data:${image.mimeType};base64,${image.data}`;

/** `what` names the image in the warning ("a generated image", "a Grok image"). */
export async function saveAndLink(
  core: GatewayCore,
  image: { bytes: Buffer; mimeType: string },
  meta: ImageMeta,
  origin: string,
  what = 'a generated image',
): Promise<string | undefined> {
  try {
    const entry = await core.images.library.save(image.bytes, image.mimeType, meta);
    return absoluteImageUrl(entry.url, origin);
  } catch (err) {
    core.log.warn(
      `Could not store ${what} (${err instanceof Error ? err.message : String(err)}); it is returned inline instead.`,
    );
    return undefined;
  }
}
