/**
 * ImageStore on Tencent Cloud COS (IMAGE_STORAGE_TYPE=tencent, DESIGN §6), through
 * `cos-nodejs-sdk-v5`: putObject to save, getObject to read back (signed, so private buckets work
 * too), headObject + deleteMultipleObject to delete.
 *
 * Never evicts and keeps no totals of its own: the image index counts what this gateway saved.
 */
import { randomBytes } from 'node:crypto';
import type COS from 'cos-nodejs-sdk-v5';
import { ObjectKeys, objectUrl, publicBaseUrl } from './cloud-object-keys';
import { findProblem, type CosImageStoreOptions } from './cos-config';
import { cosStatus, createCosClient, describeCosError } from './cos-client';
import {
  newImageId,
  type ImageStore,
  type ImageStoreCapabilities,
  type ImageStoreStats,
  type SaveImageInput,
  type SavedImage,
  type StoredImageData,
} from './image-store';
import { requireServableMimeType } from './served-images';

/** COS's limit of keys in one multi-delete request. */
const MAX_DELETE_KEYS = 1000;
/** HEAD requests in flight while a delete looks for its keys. */
const LOOKUP_CONCURRENCY = 8;

export class CosImageStore implements ImageStore {
  readonly kind = 'tencent' as const;
  readonly capabilities: ImageStoreCapabilities = { servedByGateway: false, persistent: true, evicts: false };
  readonly #o: CosImageStoreOptions;
  readonly #problem: string | undefined;
  readonly #keys: ObjectKeys;
  readonly #random: (size: number) => Buffer;
  readonly #cos: COS | undefined;
  readonly #baseUrl: string;

  constructor(options: CosImageStoreOptions) {
    this.#o = options;
    this.#keys = new ObjectKeys(options.keyPrefix ?? 'gemgate/');
    this.#random = options.random ?? randomBytes;
    this.#problem = findProblem(options);
    this.#baseUrl = cosBaseUrl(options);
    if (this.#problem === undefined)
      this.#cos = createCosClient(options.secretId, options.secretKey, options.endpoint);
  }

  problem(): string | undefined {
    return this.#problem;
  }

  async save(input: SaveImageInput): Promise<SavedImage> {
    const cos = this.#usable();
    const mimeType = requireServableMimeType(input.mimeType);
    const id = newImageId(this.#o.now(), this.#random(8));
    const key = this.#keys.keyFor(id, mimeType);
    try {
      await cos.putObject({
        ...this.#bucket(),
        Key: key,
        Body: input.bytes,
        ContentLength: input.bytes.length,
        ContentType: mimeType,
      });
    } catch (err) {
      throw new Error(`COS upload of ${key} failed: ${describeCosError(err)}`, { cause: err });
    }
    this.#keys.remember(id, mimeType);
    return { id, url: objectUrl(this.#baseUrl, key), key, mimeType, bytes: input.bytes.length };
  }

  async get(id: string): Promise<StoredImageData | undefined> {
    const cos = this.#usable();
    for (const key of this.#keys.candidates(id)) {
      try {
        const object = await cos.getObject({ ...this.#bucket(), Key: key });
        const stored = (object.headers?.['content-type'] as string | undefined)?.split(';')[0]?.trim();
        return {
          bytes: object.Body,
          mimeType: this.#keys.mimeTypeOf(key) ?? stored ?? 'application/octet-stream',
        };
      } catch (err) {
        if (cosStatus(err) === 404) continue;
        throw new Error(`COS download of ${key} failed: ${describeCosError(err)}`, { cause: err });
      }
    }
    return undefined;
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    const cos = this.#usable();
    const wanted = [...new Set(ids)];
    // COS reports a missing key as deleted, so only keys that exist are sent: "removed" stays true.
    const found = new Map<string, string>();
    for (let start = 0; start < wanted.length; start += LOOKUP_CONCURRENCY) {
      const batch = wanted.slice(start, start + LOOKUP_CONCURRENCY);
      const keys = await Promise.all(batch.map((id) => this.#existingKey(cos, id)));
      batch.forEach((id, i) => {
        const key = keys[i];
        if (key !== undefined) found.set(key, id);
      });
    }
    const removed = new Set<string>();
    const keys = [...found.keys()];
    for (let start = 0; start < keys.length; start += MAX_DELETE_KEYS) {
      const chunk = keys.slice(start, start + MAX_DELETE_KEYS);
      let result: COS.DeleteMultipleObjectResult;
      try {
        result = await cos.deleteMultipleObject({
          ...this.#bucket(),
          Objects: chunk.map((Key) => ({ Key })),
          Quiet: false,
        });
      } catch (err) {
        throw new Error(`COS delete failed: ${describeCosError(err)}`, { cause: err });
      }
      for (const { Key } of result.Deleted) {
        const id = found.get(Key);
        if (id !== undefined) removed.add(id);
      }
    }
    for (const id of removed) this.#keys.forget(id);
    return wanted.filter((id) => removed.has(id));
  }

  async stats(): Promise<ImageStoreStats> {
    return this.#o.known();
  }

  /** COS never drops images by itself. */
  onEvict(): void {}

  async close(): Promise<void> {}

  /** The key `id` lives under, or undefined when no candidate exists. */
  async #existingKey(cos: COS, id: string): Promise<string | undefined> {
    for (const key of this.#keys.candidates(id)) {
      try {
        await cos.headObject({ ...this.#bucket(), Key: key });
        return key;
      } catch (err) {
        if (cosStatus(err) === 404) continue;
        throw new Error(`COS lookup of ${key} failed: ${describeCosError(err)}`, { cause: err });
      }
    }
    return undefined;
  }

  #bucket(): { Bucket: string; Region: string } {
    return { Bucket: this.#o.bucket, Region: this.#o.region };
  }

  #usable(): COS {
    if (this.#cos === undefined) throw new Error(this.#problem ?? 'COS storage is not configured');
    return this.#cos;
  }
}

/** TENCENT_DOMAIN, else the bucket's default domain `https://<bucket>.cos.<region>.myqcloud.com`. */
function cosBaseUrl(o: CosImageStoreOptions): string {
  const domain = o.domain?.trim() ?? '';
  return publicBaseUrl(domain !== '' ? domain : `${o.bucket}.cos.${o.region}.myqcloud.com`);
}

export type { CosImageStoreOptions } from './cos-config';
