/**
 * ImageStore on the local disk (IMAGE_STORAGE_TYPE=local, DESIGN §6): one file `<id>.<ext>` per
 * image in IMAGE_STORAGE_DIR, written atomically, served by the gateway under /images/.
 *
 * Caps (LOCAL_MAX_IMAGE_NUMBER, LOCAL_MAX_IMAGE_SIZE_MB) are enforced oldest-first — ids sort by
 * creation time — at start, right after a save that exceeds one, and by a periodic check at most
 * every LOCAL_CLEAN_INTERVAL_SECONDS (which also applies caps lowered in the settings).
 *
 * The store trusts its in-memory accounting, not the folder: it only reads, serves and deletes ids
 * it wrote or found at start, so a request can never name an arbitrary file, and `stats()` is exact
 * without touching the disk.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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
import { openImageDir, readRegularFile, removeFile, removeFileSync, writeFileAtomic } from './local-files';
import { requireServableMimeType, servedImageUrl } from './served-images';

export interface LocalImageStoreOptions {
  /** The image folder (created when missing; when it cannot be used, `problem()` says why). */
  dir: string;
  /** LOCAL_MAX_IMAGE_NUMBER. Caps are read each time they are checked, so settings changes apply. */
  maxImages: () => number;
  /** LOCAL_MAX_IMAGE_SIZE_MB in bytes. */
  maxBytes: () => number;
  /** LOCAL_CLEAN_INTERVAL_SECONDS in milliseconds; 0 = only at start and when a save exceeds a cap. */
  cleanIntervalMs: () => number;
  now: () => number;
  random?: (size: number) => Buffer;
  /** Errors nobody awaits (background clean-up, eviction listeners). */
  reportError?: (err: unknown) => void;
}

interface LocalImage {
  fileName: string;
  mimeType: string;
  bytes: number;
}

/**
 * How often the timer wakes up to look at the interval and the caps. Waking is cheap (two
 * comparisons); it lets a changed LOCAL_CLEAN_INTERVAL_SECONDS apply without a restart.
 */
const MAX_TIMER_MS = 60_000;

export class LocalImageStore implements ImageStore {
  readonly kind = 'local' as const;
  readonly capabilities: ImageStoreCapabilities = { servedByGateway: true, persistent: true, evicts: true };
  readonly #o: LocalImageStoreOptions;
  readonly #random: (size: number) => Buffer;
  readonly #reportError: (err: unknown) => void;
  readonly #evictions: EvictListeners;
  /** Oldest first while `#ordered`; saves finishing out of order clear it and clean-up re-sorts. */
  #images = new Map<string, LocalImage>();
  #ordered = true;
  #lastId = '';
  #bytes = 0;
  #lastCleanAt: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #removals = new Set<Promise<void>>();
  /** Set when the folder cannot be used: the store then holds nothing and refuses saves. */
  readonly #problem: string | undefined;

  constructor(options: LocalImageStoreOptions) {
    this.#o = options;
    this.#random = options.random ?? randomBytes;
    this.#reportError = options.reportError ?? (() => {});
    this.#evictions = new EvictListeners(this.#reportError);
    this.#lastCleanAt = options.now();
    const opened = openImageDir(options.dir, options.now());
    if ('problem' in opened) {
      // Like the cloud stores with missing credentials: reported, never thrown (see openImageDir).
      // The log gets the error with its path, which the problem leaves out.
      this.#problem = opened.problem;
      this.#reportError(opened.error);
      return;
    }
    for (const image of opened.images) {
      this.#remember(image.id, { fileName: image.fileName, mimeType: image.mimeType, bytes: image.bytes });
    }
    // Synchronous at start: when the server begins answering, the caps already hold.
    for (const victim of this.#takeVictims()) {
      try {
        removeFileSync(join(options.dir, victim.fileName));
      } catch (err) {
        this.#reportError(err); // counted again at the next start; not worth refusing to start over
      }
    }
    this.#schedule();
  }

  problem(): string | undefined {
    return this.#problem;
  }

  has(id: string): boolean {
    return this.#images.has(id);
  }

  async save(input: SaveImageInput): Promise<SavedImage> {
    // The caller (save-and-link) returns the image inline instead.
    if (this.#problem !== undefined) throw new Error(this.#problem);
    const mimeType = requireServableMimeType(input.mimeType);
    const id = unusedImageId(this.#o.now, this.#random, this.#images);
    const fileName = `${id}.${extensionFor(mimeType)}`;
    await writeFileAtomic(join(this.#o.dir, fileName), input.bytes);
    this.#remember(id, { fileName, mimeType, bytes: input.bytes.length });
    if (this.#overCaps()) await this.#clean(id);
    return { id, url: servedImageUrl(fileName), key: fileName, mimeType, bytes: input.bytes.length };
  }

  async get(id: string): Promise<StoredImageData | undefined> {
    if (!IMAGE_ID_PATTERN.test(id)) return undefined;
    const image = this.#images.get(id);
    if (!image) return undefined;
    const bytes = await readRegularFile(join(this.#o.dir, image.fileName));
    if (bytes === undefined) {
      // Removed (or replaced by something that is not a plain file) behind our back: forget it.
      if (this.#forget(id, image)) this.#evictions.emit([id]);
      return undefined;
    }
    return { bytes, mimeType: image.mimeType };
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const id of new Set(ids)) {
      if (!IMAGE_ID_PATTERN.test(id)) continue;
      const image = this.#images.get(id);
      if (!image || !this.#forget(id, image)) continue;
      removed.push(id);
      await this.#track(removeFile(join(this.#o.dir, image.fileName)));
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
    this.#closed = true;
    clearTimeout(this.#timer);
    await Promise.allSettled([...this.#removals]);
  }

  #remember(id: string, image: LocalImage): void {
    this.#images.set(id, image);
    this.#bytes += image.bytes;
    if (id < this.#lastId) this.#ordered = false;
    else this.#lastId = id;
  }

  /** Drops an image from the accounting; false when it was already dropped (or replaced). */
  #forget(id: string, image: LocalImage): boolean {
    if (this.#images.get(id) !== image) return false;
    this.#images.delete(id);
    this.#bytes -= image.bytes;
    return true;
  }

  #overCaps(): boolean {
    return this.#images.size > this.#o.maxImages() || this.#bytes > this.#o.maxBytes();
  }

  /**
   * Takes the oldest images out of the accounting until both caps hold and reports them. `keep`
   * (the image a save is about to hand out) is never taken, even when it alone exceeds the size cap:
   * its URL must work. Accounting changes at once, so concurrent clean-ups never pick the same file.
   */
  #takeVictims(keep?: string): LocalImage[] {
    if (!this.#overCaps()) return [];
    if (!this.#ordered) {
      this.#images = new Map([...this.#images].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      this.#ordered = true;
    }
    const victims: LocalImage[] = [];
    const ids: string[] = [];
    for (const [id, image] of this.#images) {
      if (!this.#overCaps()) break;
      if (id === keep) continue;
      this.#forget(id, image);
      victims.push(image);
      ids.push(id);
    }
    this.#evictions.emit(ids);
    return victims;
  }

  async #clean(keep?: string): Promise<void> {
    this.#lastCleanAt = this.#o.now();
    const victims = this.#takeVictims(keep);
    await Promise.all(victims.map((v) => this.#track(removeFile(join(this.#o.dir, v.fileName)))));
  }

  /** Removal errors (permissions, …) are reported; the file is rescanned and counted at next start. */
  #track(removal: Promise<void>): Promise<void> {
    const tracked = removal.catch(this.#reportError).finally(() => this.#removals.delete(tracked));
    this.#removals.add(tracked);
    return tracked;
  }

  #schedule(): void {
    if (this.#closed) return;
    const interval = this.#o.cleanIntervalMs();
    const wait = interval > 0 ? Math.min(interval, MAX_TIMER_MS) : MAX_TIMER_MS;
    this.#timer = setTimeout(() => this.#tick(), wait);
    this.#timer.unref(); // never keeps the process alive on its own
  }

  #tick(): void {
    const interval = this.#o.cleanIntervalMs();
    if (interval > 0 && this.#o.now() - this.#lastCleanAt >= interval && this.#overCaps()) {
      this.#clean().catch(this.#reportError);
    }
    this.#schedule();
  }
}
