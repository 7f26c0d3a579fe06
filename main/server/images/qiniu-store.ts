/**
 * ImageStore on Qiniu Kodo (IMAGE_STORAGE_TYPE=qiniu, DESIGN §6). Uploads go through the `qiniu`
 * SDK's form uploader with a token scoped to the one key; images are read back from the bucket
 * domain (the URL clients get) and deleted with a signed management batch (./qiniu-http).
 *
 * Never evicts and keeps no totals of its own: the image index counts what this gateway saved.
 */
import { randomBytes } from 'node:crypto';
import qiniu from 'qiniu';
import { Agent } from 'undici';
import { ObjectKeys, objectUrl, publicBaseUrl } from './cloud-object-keys';
import { findProblem, type QiniuImageStoreOptions } from './qiniu-config';
import {
  newImageId,
  type ImageStore,
  type ImageStoreCapabilities,
  type ImageStoreStats,
  type SaveImageInput,
  type SavedImage,
  type StoredImageData,
} from './image-store';
import { qiniuHosts } from './qiniu-hosts';
import { batchDelete, downloadObject, type BatchDeleteTarget } from './qiniu-http';
import { requireServableMimeType } from './served-images';

/** An upload token only needs to outlive one upload; short-lived limits what a leaked one allows. */
const UPLOAD_TOKEN_SECONDS = 15 * 60;

interface QiniuClient {
  mac: qiniu.auth.digest.Mac;
  uploader: qiniu.form_up.FormUploader;
  uploadTarget: string;
  baseUrl: string;
  batch: BatchDeleteTarget;
}

export class QiniuImageStore implements ImageStore {
  readonly kind = 'qiniu' as const;
  readonly capabilities: ImageStoreCapabilities = { servedByGateway: false, persistent: true, evicts: false };
  readonly #o: QiniuImageStoreOptions;
  readonly #problem: string | undefined;
  readonly #keys: ObjectKeys;
  readonly #random: (size: number) => Buffer;
  readonly #agent = new Agent({ connectTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  readonly #client: QiniuClient | undefined;

  constructor(options: QiniuImageStoreOptions) {
    this.#o = options;
    this.#keys = new ObjectKeys(options.keyPrefix ?? 'gemgate/');
    this.#random = options.random ?? randomBytes;
    this.#problem = findProblem(options);
    if (this.#problem === undefined) this.#client = this.#connect();
  }

  problem(): string | undefined {
    return this.#problem;
  }

  async save(input: SaveImageInput): Promise<SavedImage> {
    const client = this.#usable();
    const mimeType = requireServableMimeType(input.mimeType);
    const id = newImageId(this.#o.now(), this.#random(8));
    const key = this.#keys.keyFor(id, mimeType);
    const token = new qiniu.rs.PutPolicy({
      scope: `${this.#o.bucket}:${key}`,
      expires: UPLOAD_TOKEN_SECONDS,
    }).uploadToken(client.mac);
    let answer: qiniu.httpc.ResponseWrapper;
    try {
      answer = await client.uploader.put(
        token,
        key,
        input.bytes,
        new qiniu.form_up.PutExtra(key, {}, mimeType),
      );
    } catch (err) {
      // Connection failures reject (4xx/5xx answers resolve, below).
      throw new Error(`Qiniu upload of ${key} to ${client.uploadTarget} failed: ${firstLine(err)}`, {
        cause: err,
      });
    }
    const status = answer.resp.statusCode;
    if (status !== 200) {
      throw new Error(
        `Qiniu refused the upload of ${key} to ${client.uploadTarget}: HTTP ${status}${describe(answer.data)}`,
      );
    }
    this.#keys.remember(id, mimeType);
    return { id, url: objectUrl(client.baseUrl, key), key, mimeType, bytes: input.bytes.length };
  }

  async get(id: string): Promise<StoredImageData | undefined> {
    const client = this.#usable();
    for (const key of this.#keys.candidates(id)) {
      const download = await downloadObject(objectUrl(client.baseUrl, key), this.#agent);
      if (!download.found) continue;
      // The extension is what we saved; a CDN may label the bytes differently.
      const mimeType =
        this.#keys.mimeTypeOf(key) ??
        download.contentType?.split(';')[0]?.trim() ??
        'application/octet-stream';
      return { bytes: download.bytes, mimeType };
    }
    return undefined;
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    const client = this.#usable();
    const wanted = [...new Set(ids)];
    const keyOwners = new Map<string, string>();
    for (const id of wanted) for (const key of this.#keys.candidates(id)) keyOwners.set(key, id);
    if (keyOwners.size === 0) return [];
    const removedKeys = await batchDelete(client.batch, [...keyOwners.keys()]);
    const removed = new Set([...removedKeys].map((key) => keyOwners.get(key)));
    for (const id of removed) if (id !== undefined) this.#keys.forget(id);
    return wanted.filter((id) => removed.has(id));
  }

  async stats(): Promise<ImageStoreStats> {
    return this.#o.known();
  }

  /** Qiniu never drops images by itself. */
  onEvict(): void {}

  async close(): Promise<void> {
    await this.#agent.close();
  }

  #usable(): QiniuClient {
    if (this.#client === undefined) throw new Error(this.#problem ?? 'Qiniu storage is not configured');
    return this.#client;
  }

  #connect(): QiniuClient {
    const o = this.#o;
    const hosts = qiniuHosts(o.region, o.uploadUrl);
    return {
      mac: new qiniu.auth.digest.Mac(o.accessKey, o.secretKey),
      uploader: new qiniu.form_up.FormUploader(hosts.config),
      uploadTarget: hosts.uploadTarget,
      baseUrl: publicBaseUrl(o.domain),
      batch: {
        accessKey: o.accessKey,
        secretKey: o.secretKey,
        bucket: o.bucket,
        rsOrigin: hosts.rsOrigin,
        now: o.now,
        dispatcher: this.#agent,
      },
    };
  }
}

/** The first line of an error: urllib appends request dumps that do not belong in a log line. */
function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0] ?? message;
}

/** ` (bad token)` from Qiniu's `{"error": "bad token"}` answers. */
function describe(data: unknown): string {
  const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  return typeof error === 'string' && error !== '' ? ` (${error})` : '';
}

export type { QiniuImageStoreOptions } from './qiniu-config';
