/**
 * The gallery over the admin contract: the image index, newest first, with absolute links when the
 * gateway knows its public origin (HOST_URL, else what the host says: the desktop's local listener);
 * otherwise links stay `/images/…` and the HTTP transport completes them with the request's origin.
 */
import { galleryPageSchema, idListSchema, type AdminApi } from '../../../shared/admin-contract';
import type { GalleryImage, GalleryPage } from '../../../shared/admin-dto';
import type { GatewayCore } from '../core';
import { imageDirOf } from '../images/create-image-store';
import type { ImageIndexEntry } from '../images/image-index';
import { absoluteImageUrl } from '../images/public-origin';
import type { AdminHost } from './admin-host';
import { parseInput } from './parse-input';

type GalleryAdmin = Pick<AdminApi, 'listImages' | 'deleteImages' | 'imageStorage'>;

const toImage = (e: ImageIndexEntry, origin: string | null): GalleryImage => ({
  id: e.id,
  url: origin === null ? e.url : absoluteImageUrl(e.url, origin),
  storage: e.storage,
  mimeType: e.mimeType,
  bytes: e.bytes,
  ...(e.model !== undefined ? { model: e.model } : {}),
  ...(e.prompt !== undefined ? { prompt: e.prompt } : {}),
  source: e.source,
  createdAt: e.createdAt,
});

/** Relative gallery links made absolute on `origin` (the HTTP transport's request origin). */
export const withOrigin = (page: GalleryPage, origin: string): GalleryPage => ({
  total: page.total,
  entries: page.entries.map((e) => ({ ...e, url: absoluteImageUrl(e.url, origin) })),
});

export function createGalleryAdmin(core: GatewayCore, host: AdminHost): GalleryAdmin {
  const origin = (): string | null => {
    const hostUrl = core.settings.get().hostUrl;
    if (hostUrl) return hostUrl.replace(/\/+$/, '');
    if (host.imageOrigin) return host.imageOrigin();
    return host.status().listening?.baseUrl.replace(/\/v1$/, '') ?? null;
  };

  return {
    async listImages(page) {
      const valid = parseInput(galleryPageSchema, page ?? {});
      const found = core.images.library.list(valid);
      const at = origin();
      return { total: found.total, entries: found.entries.map((e) => toImage(e, at)) };
    },

    async deleteImages(ids) {
      const valid = parseInput(idListSchema, { ids });
      const deleted = await core.images.library.delete(valid.ids);
      if (deleted.length > 0) core.log.info(`admin: ${deleted.length} image(s) deleted`);
      return { deleted };
    },

    async imageStorage() {
      const library = core.images.library;
      const storage = library.store.kind;
      const { count, bytes } = await library.stats();
      return {
        storage,
        count,
        bytes,
        problem: library.store.problem() ?? null,
        folder: storage === 'local' ? imageDirOf(core.settings.get()) : null,
      };
    },
  };
}
