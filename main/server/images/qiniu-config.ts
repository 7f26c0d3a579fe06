/**
 * What the Qiniu adapter is configured with, and what is missing — without loading the SDK, so the
 * gateway can report a misconfiguration at start while the SDK itself loads only when needed.
 */
import { isHttpUrl, missingSettings } from './cloud-object-keys';
import type { ImageStoreStats } from './image-store';

export interface QiniuImageStoreOptions {
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** QINIU_BUCKET_DOMAIN: host of image links; `https://` unless it names a scheme. */
  domain: string;
  /** QINIU_REGION, e.g. z0. */
  region: string;
  /** QINIU_UPLOAD_URL: replaces the region's upload and management hosts (scheme included). */
  uploadUrl?: string;
  /** Default `gemgate/`. */
  keyPrefix?: string;
  now: () => number;
  /** Totals the image index keeps for this store. */
  known: () => ImageStoreStats;
  random?: (size: number) => Buffer;
}

export function findProblem(o: QiniuImageStoreOptions): string | undefined {
  const uploadUrl = o.uploadUrl ?? '';
  const missing = missingSettings('Qiniu', {
    QINIU_ACCESS_KEY: o.accessKey,
    QINIU_SECRET_KEY: o.secretKey,
    QINIU_BUCKET_NAME: o.bucket,
    QINIU_BUCKET_DOMAIN: o.domain,
    // The region only picks the hosts, which QINIU_UPLOAD_URL replaces.
    ...(uploadUrl === '' ? { QINIU_REGION: o.region } : {}),
  });
  if (missing !== undefined) return missing;
  if (uploadUrl !== '' && !isHttpUrl(uploadUrl)) return 'QINIU_UPLOAD_URL must be an http(s) URL';
  return undefined;
}
