/**
 * ImageStore in memory (IMAGE_STORAGE_TYPE=memory, DESIGN §6): least-recently-used images are
 * dropped beyond MEMORY_MAX_IMAGE_NUMBER or MEMORY_MAX_IMAGE_MB and reported through `onEvict`.
 * Served by the gateway under /images/; lost on restart.
 */
import { randomBytes } from 'node:crypto';
import { EvictListeners, type EvictListener } from './evict-listeners';
import {
  IMAGE_ID_PATTERN,
  extensionFor,
  unusedImageId,
  type ImageStore,
  type ImageStoreCapabilities,
  type ImageStoreStats,
  type SaveImageInput,
  type SavedImage,
  type StoredImageData,
} from './image-store';
import { requireServableMimeType, servedImageUrl } from './served-images';

export interface MemoryImageStoreOptions {
  /** MEMORY_MAX_IMAGE_NUMBER, read on every save so a settings change applies at once. */
  maxImages: () => number;
  /**
   * MEMORY_MAX_IMAGE_MB in bytes, read on every save. The count alone does not bound the heap: a
   * thousand 4K images are gigabytes, enough to take the process down.
   */
  maxBytes: () => number;
  now: () => number;
  /** Random bytes for ids (injectable for tests). */
  random?: (size: number) => Buffer;
  /** Where a failing eviction listener's error goes. */
  reportError?: (err: unknown) => void;
}

interface MemoryImage {
  bytes: Buffer;
  mimeType: string;
}

export class MemoryImageStore implements ImageStore {
  readonly kind = 'memory' as const;
  readonly capabilities: ImageStoreCapabilities = { servedByGateway: true, persistent: false, evicts: true };
  readonly #o: MemoryImageStoreOptions;
  readonly #random: (size: number) => Buffer;
  /** Map order is recency order: the first entry is the least recently used. */
  readonly #images = new Map<string, MemoryImage>();
  readonly #evictions: EvictListeners;
  #bytes = 0;

  constructor(options: MemoryImageStoreOptions) {
    this.#o = options;
    this.#random = options.random ?? randomBytes;
    this.#evictions = new EvictListeners(options.reportError);
  }

  problem(): string | undefined {
    return undefined;
  }

  has(id: string): boolean {
    return this.#images.has(id);
  }

  async save(input: SaveImageInput): Promise<SavedImage> {
    const mimeType = requireServableMimeType(input.mimeType);
    const id = unusedImageId(this.#o.now, this.#random, this.#images);
    // A copy: the caller may reuse its buffer, and served bytes must never change under an id.
    const bytes = Buffer.from(input.bytes);
    this.#images.set(id, { bytes, mimeType });
    this.#bytes += bytes.length;
    this.#enforceCap(id);
    const key = `${id}.${extensionFor(mimeType)}`;
    return { id, url: servedImageUrl(key), key, mimeType, bytes: bytes.length };
  }

  async get(id: string): Promise<StoredImageData | undefined> {
    const image = this.#images.get(id);
    if (!image) return undefined;
    this.#images.delete(id);
    this.#images.set(id, image); // now the most recently used
    return { bytes: image.bytes, mimeType: image.mimeType };
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const id of ids) {
      if (!IMAGE_ID_PATTERN.test(id)) continue;
      const image = this.#images.get(id);
      if (!image) continue;
      this.#images.delete(id);
      this.#bytes -= image.bytes.length;
      removed.push(id);
    }
    return removed;
  }

  async stats(): Promise<ImageStoreStats> {
    return { count: this.#images.size, bytes: this.#bytes };
  }

  onEvict(listener: EvictListener): void {
    this.#evictions.add(listener);
  }

  async close(): Promise<void> {
    this.#images.clear();
    this.#bytes = 0;
  }

  /**
   * Drops least-recently-used images until both caps hold. The image just saved is the newest and is
   * never dropped, even when it alone exceeds the byte cap: the link a save hands out must work.
   */
  #enforceCap(keep: string): void {
    const max = Math.max(1, Math.floor(this.#o.maxImages()));
    const maxBytes = this.#o.maxBytes();
    const evicted: string[] = [];
    for (const [id, image] of this.#images) {
      if (this.#images.size <= max && this.#bytes <= maxBytes) break;
      if (id === keep) break; // the newest: everything older is gone already
      this.#images.delete(id);
      this.#bytes -= image.bytes.length;
      evicted.push(id);
    }
    this.#evictions.emit(evicted);
  }
}
