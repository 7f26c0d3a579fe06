/**
 * What the Cos adapter is configured with, and what is missing — without loading the SDK, so the
 * gateway can report a misconfiguration at start while the SDK itself loads only when needed.
 */
import { COS_REGION_MESSAGE, COS_REGION_PATTERN } from '../../../shared/settings-schema';
import { isHttpUrl, missingSettings } from './cloud-object-keys';
import type { ImageStoreStats } from './image-store';

export interface CosImageStoreOptions {
  secretId: string;
  secretKey: string;
  /** TENCENT_REGION, e.g. ap-guangzhou. */
  region: string;
  /** TENCENT_BUCKET with its APPID, e.g. images-1250000000. */
  bucket: string;
  /** TENCENT_DOMAIN for image links; empty: the bucket's default domain. */
  domain?: string;
  /** TENCENT_ENDPOINT: where the API calls go instead of the bucket's default host. */
  endpoint?: string;
  /** Default `gemgate/`. */
  keyPrefix?: string;
  now: () => number;
  /** Totals the image index keeps for this store. */
  known: () => ImageStoreStats;
  random?: (size: number) => Buffer;
}

export function findProblem(o: CosImageStoreOptions): string | undefined {
  const missing = missingSettings('Tencent COS', {
    TENCENT_SECRET_ID: o.secretId,
    TENCENT_SECRET_KEY: o.secretKey,
    TENCENT_REGION: o.region,
    TENCENT_BUCKET: o.bucket,
  });
  if (missing !== undefined) return missing;
  // The SDK rejects every call for a bucket without its APPID; say so before the first save.
  if (!/^[a-z0-9-]+-\d+$/.test(o.bucket))
    return 'TENCENT_BUCKET must end with the APPID, e.g. images-1250000000';
  // The settings schema's own pattern: a region the form accepts must not be refused here.
  if (!COS_REGION_PATTERN.test(o.region)) return `TENCENT_REGION ${COS_REGION_MESSAGE}`;
  const endpoint = o.endpoint ?? '';
  if (endpoint !== '' && !isHttpUrl(endpoint)) return 'TENCENT_ENDPOINT must be an http(s) URL';
  return undefined;
}
