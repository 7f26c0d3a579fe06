/**
 * The images as the rest of the gateway sees them: a store (where the bytes live) joined with the
 * index (what the gallery lists, how our own URLs are recognised). Saving goes to both, deleting
 * removes from both, and the index follows the store's own evictions.
 */
import { ApiError } from '../errors';
import type { ImageIndex, ImageIndexEntry, ImageIndexPage, ImageSource } from './image-index';
import { IMAGE_ID_PATTERN, type ImageStore, type ImageStoreStats, type StoredImageData } from './image-store';

export interface ImageMeta {
  source: ImageSource;
  model?: string;
  /** The full prompt is fine: the index keeps an excerpt. */
  prompt?: string;
}

export interface ImageLibraryOptions {
  store: ImageStore;
  index: ImageIndex;
  now: () => number;
  /** Failures that must not fail the caller (index writes after a successful save, listeners). */
  reportError?: (err: unknown) => void;
}

/** Gateway-served stores can answer "do you hold this id?" without reading the bytes. */
interface KnowsIds {
  has(id: string): boolean;
}
const knowsIds = (store: ImageStore): store is ImageStore & KnowsIds =>
  typeof (store as Partial<KnowsIds>).has === 'function';

export class ImageLibrary {
  readonly store: ImageStore;
  readonly index: ImageIndex;
  readonly #now: () => number;
  readonly #reportError: (err: unknown) => void;
  #savesInFlight = 0;
  /** Ids evicted while saves were in flight: a save must not index an image already gone. */
  readonly #evictedDuringSaves = new Set<string>();

  constructor(options: ImageLibraryOptions) {
    this.store = options.store;
    this.index = options.index;
    this.#now = options.now;
    this.#reportError = options.reportError ?? (() => {});
    this.store.onEvict((ids) => {
      if (this.#savesInFlight > 0) for (const id of ids) this.#evictedDuringSaves.add(id);
      this.index.remove(ids);
    });
    this.#forgetVanished();
  }

  /** Stores the image, records it in the index, and returns the index entry. */
  async save(bytes: Buffer, mimeType: string, meta: ImageMeta): Promise<ImageIndexEntry> {
    this.#savesInFlight++;
    try {
      const saved = await this.store.save({ bytes, mimeType });
      const entry: ImageIndexEntry = {
        id: saved.id,
        url: saved.url,
        storage: this.store.kind,
        key: saved.key,
        mimeType: saved.mimeType,
        bytes: saved.bytes,
        ...(meta.model !== undefined ? { model: meta.model } : {}),
        ...(meta.prompt !== undefined ? { prompt: meta.prompt } : {}),
        source: meta.source,
        createdAt: this.#now(),
      };
      if (this.#evictedDuringSaves.has(saved.id)) return entry;
      try {
        return this.index.add(entry);
      } catch (err) {
        // The image is stored and its URL works; a gallery write failure must not lose the answer.
        this.#reportError(err);
        return entry;
      }
    } finally {
      if (--this.#savesInFlight === 0) this.#evictedDuringSaves.clear();
    }
  }

  /**
   * Deletes from the store and the index; ids the store no longer has (evicted, saved by another
   * backend, deleted by hand) leave the index too. Resolves with every id that is now gone.
   *
   * A store with a problem (a folder it cannot use, a missing credential) can neither delete nor
   * say which images it holds — a local one then holds no ids at all, so every entry would look
   * gone. The call is refused with the problem in words and every entry stays, as at start
   * (#forgetVanished): once the storage works again the gallery lists and deletes them as before.
   */
  async delete(ids: readonly string[]): Promise<string[]> {
    const valid = [...new Set(ids)].filter((id) => IMAGE_ID_PATTERN.test(id));
    if (valid.length === 0) return [];
    const problem = this.store.problem();
    if (problem !== undefined) {
      throw new ApiError(
        'storage_unavailable',
        `Image storage "${this.store.kind}" is not usable (${problem}); no image was deleted, and the gallery keeps them until the storage works again.`,
      );
    }
    const removed = await this.store.delete(valid);
    const gone = new Set(removed);
    for (const id of valid) {
      if (!gone.has(id) && this.index.get(id) && !(await this.#storeHas(id))) gone.add(id);
    }
    this.index.remove([...gone]);
    return [...gone];
  }

  get(id: string): ImageIndexEntry | undefined {
    return this.index.get(id);
  }

  findByUrl(url: string): ImageIndexEntry | undefined {
    return this.index.findByUrl(url);
  }

  /** Newest first. */
  list(page: { offset?: number; limit?: number } = {}): ImageIndexPage {
    return this.index.list(page);
  }

  /** What the store holds: counted by the store when the gateway serves it, from the index for clouds. */
  async stats(): Promise<ImageStoreStats> {
    return this.store.capabilities.servedByGateway ? this.store.stats() : this.index.stats(this.store.kind);
  }

  /** The bytes of an image of the current store (undefined when unknown or gone). */
  async read(id: string): Promise<StoredImageData | undefined> {
    return IMAGE_ID_PATTERN.test(id) ? this.store.get(id) : undefined;
  }

  /** Closes the store and compacts the index (the index object stays usable). */
  async close(): Promise<void> {
    await this.store.close();
    this.index.flush();
  }

  async #storeHas(id: string): Promise<boolean> {
    return knowsIds(this.store) ? this.store.has(id) : (await this.store.get(id)) !== undefined;
  }

  /**
   * At start (or when the store changes), drops index entries whose images cannot exist any more:
   * memory images never survive their store, and files of the local store may have been deleted
   * while the gateway was down. A store with a problem (a folder it cannot read) says nothing about
   * its files: their entries stay until the folder works again.
   */
  #forgetVanished(): void {
    const store = this.store;
    const holds = (id: string): boolean => knowsIds(store) && store.has(id);
    const stale = this.index.idsOf('memory').filter((id) => store.kind !== 'memory' || !holds(id));
    if (store.kind !== 'memory' && knowsIds(store) && store.problem() === undefined) {
      stale.push(...this.index.idsOf(store.kind).filter((id) => !holds(id)));
    }
    this.index.remove(stale);
  }
}
