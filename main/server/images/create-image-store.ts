/** Builds the ImageStore IMAGE_STORAGE_TYPE names, from the settings (caps are read live). */
import { join } from 'node:path';
import type { Settings } from '../../../shared/settings-schema';
import type { SettingsSource } from '../settings/settings-source';
import { CosImageStore } from './cos-store';
import type { ImageIndex } from './image-index';
import type { ImageStore } from './image-store';
import { LocalImageStore } from './local-store';
import { MemoryImageStore } from './memory-store';
import { QiniuImageStore } from './qiniu-store';

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
    case 'qiniu':
      return new QiniuImageStore({
        ...common,
        accessKey: s.qiniuAccessKey,
        secretKey: s.qiniuSecretKey,
        bucket: s.qiniuBucketName,
        domain: s.qiniuBucketDomain,
        region: s.qiniuRegion,
        ...(s.qiniuUploadUrl ? { uploadUrl: s.qiniuUploadUrl } : {}),
        known: () => deps.index.stats('qiniu'),
      });
    case 'tencent':
      return new CosImageStore({
        ...common,
        secretId: s.tencentSecretId,
        secretKey: s.tencentSecretKey,
        region: s.tencentRegion,
        bucket: s.tencentBucket,
        ...(s.tencentDomain ? { domain: s.tencentDomain } : {}),
        ...(s.tencentEndpoint ? { endpoint: s.tencentEndpoint } : {}),
        known: () => deps.index.stats('tencent'),
      });
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
