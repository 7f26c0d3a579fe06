/** Builds the ImageStore IMAGE_STORAGE_TYPE names, from the settings (caps are read live). */
import { join } from 'node:path';
import type { Settings } from '../../../shared/settings-schema';
import type { SettingsSource } from '../settings/settings-source';
import { findProblem as cosProblem, type CosImageStoreOptions } from './cos-config';
import type { ImageIndex } from './image-index';
import type { ImageStorageKind, ImageStore } from './image-store';
import { LocalImageStore } from './local-store';
import { MemoryImageStore } from './memory-store';
import { LazyCloudStore } from './lazy-image-store';
import { findProblem as qiniuProblem, type QiniuImageStoreOptions } from './qiniu-config';

export const imageDirOf = (s: Settings): string => s.imageStorageDir || join(s.dataDir, 'images');

export interface StoreDeps {
  settings: SettingsSource;
  index: ImageIndex;
  now: () => number;
  reportError: (err: unknown) => void;
}

export function createImageStore(deps: StoreDeps): ImageStore {
  const s = deps.settings.get();
  const live = () => deps.settings.get();
  const common = { now: deps.now };
  switch (s.imageStorageType) {
    case 'memory':
      return new MemoryImageStore({
        ...common,
        maxImages: () => live().memoryMaxImageNumber,
        maxBytes: () => live().memoryMaxImageMb * 1024 * 1024,
        reportError: deps.reportError,
      });
    case 'local':
      return new LocalImageStore({
        ...common,
        dir: imageDirOf(s),
        maxImages: () => live().localMaxImageNumber,
        maxBytes: () => live().localMaxImageSizeMb * 1024 * 1024,
        cleanIntervalMs: () => live().localCleanIntervalSeconds * 1000,
        reportError: deps.reportError,
      });
    case 'qiniu': {
      const options: QiniuImageStoreOptions = {
        ...common,
        accessKey: s.qiniuAccessKey,
        secretKey: s.qiniuSecretKey,
        bucket: s.qiniuBucketName,
        domain: s.qiniuBucketDomain,
        region: s.qiniuRegion,
        ...(s.qiniuUploadUrl ? { uploadUrl: s.qiniuUploadUrl } : {}),
        known: () => deps.index.stats('qiniu'),
      };
      return new LazyCloudStore('qiniu', qiniuProblem(options), async () => {
        const { QiniuImageStore } = await import('./qiniu-store');
        return new QiniuImageStore(options);
      });
    }
    case 'tencent': {
      const options: CosImageStoreOptions = {
        ...common,
        secretId: s.tencentSecretId,
        secretKey: s.tencentSecretKey,
        region: s.tencentRegion,
        bucket: s.tencentBucket,
        ...(s.tencentDomain ? { domain: s.tencentDomain } : {}),
        ...(s.tencentEndpoint ? { endpoint: s.tencentEndpoint } : {}),
        known: () => deps.index.stats('tencent'),
      };
      return new LazyCloudStore('tencent', cosProblem(options), async () => {
        const { CosImageStore } = await import('./cos-store');
        return new CosImageStore(options);
      });
    }
  }
}

/**
 * The settings each storage type is built from (the caps are read live instead). Only these, for the
 * type in use, mean a different store: rebuilding closes the old one, and a memory store's close
 * drops every image — filling in a Qiniu key while on memory storage must not cost the gallery.
 */
const STORE_SETTINGS: Readonly<Record<ImageStorageKind, readonly (keyof Settings)[]>> = {
  memory: [],
  local: ['imageStorageDir'],
  qiniu: [
    'qiniuAccessKey',
    'qiniuSecretKey',
    'qiniuBucketName',
    'qiniuBucketDomain',
    'qiniuRegion',
    'qiniuUploadUrl',
  ],
  tencent: [
    'tencentSecretId',
    'tencentSecretKey',
    'tencentRegion',
    'tencentBucket',
    'tencentDomain',
    'tencentEndpoint',
  ],
};

/** Whether the change from `prev` to `next` needs a new store (another type, or its own settings). */
export function storeSettingsChanged(next: Settings, prev: Settings): boolean {
  if (next.imageStorageType !== prev.imageStorageType) return true;
  return STORE_SETTINGS[next.imageStorageType].some((k) => next[k] !== prev[k]);
}
