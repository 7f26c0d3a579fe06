/** Builds the ImageStore IMAGE_STORAGE_TYPE names, from the settings (caps are read live). */
import { join } from 'node:path';
import type { Settings } from '../../../shared/settings-schema';
import type { SettingsSource } from '../settings/settings-source';
import { findProblem as cosProblem, type CosImageStoreOptions } from './cos-config';
import type { ImageIndex } from './image-index';
import type { ImageStore } from './image-store';
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

/** Settings whose change means a different store (the caps are read live instead). */
export const STORE_SETTINGS: readonly (keyof Settings)[] = [
  'imageStorageType',
  'imageStorageDir',
  'qiniuAccessKey',
  'qiniuSecretKey',
  'qiniuBucketName',
  'qiniuBucketDomain',
  'qiniuRegion',
  'qiniuUploadUrl',
  'tencentSecretId',
  'tencentSecretKey',
  'tencentRegion',
  'tencentBucket',
  'tencentDomain',
  'tencentEndpoint',
];
