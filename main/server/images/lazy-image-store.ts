/**
 * A cloud store whose SDK loads on first use. The Qiniu and COS SDKs take ~350 ms to import — a third
 * of the start-up budget — and most gateways never use them; with this wrapper (and the bundle's code
 * splitting) they load only for a gateway configured to store images there, in the background.
 * A configuration problem is known without the SDK, so it is reported at start all the same.
 */
import type {
  ImageStorageKind,
  ImageStore,
  ImageStoreCapabilities,
  ImageStoreStats,
  SaveImageInput,
  SavedImage,
  StoredImageData,
} from './image-store';

const CLOUD: ImageStoreCapabilities = { servedByGateway: false, persistent: true, evicts: false };

export class LazyCloudStore implements ImageStore {
  readonly kind: ImageStorageKind;
  readonly capabilities = CLOUD;
  readonly #problem: string | undefined;
  readonly #load: () => Promise<ImageStore>;
  #store: Promise<ImageStore> | undefined;
  readonly #evictListeners: ((ids: string[]) => void)[] = [];

  constructor(kind: ImageStorageKind, problem: string | undefined, load: () => Promise<ImageStore>) {
    this.kind = kind;
    this.#problem = problem;
    this.#load = load;
    // Start loading now (off the request path) when the store is usable at all.
    if (problem === undefined) void this.#loaded().catch(() => undefined);
  }

  problem(): string | undefined {
    return this.#problem;
  }

  async save(input: SaveImageInput): Promise<SavedImage> {
    return (await this.#loaded()).save(input);
  }

  async get(id: string): Promise<StoredImageData | undefined> {
    return (await this.#loaded()).get(id);
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    return (await this.#loaded()).delete(ids);
  }

  async stats(): Promise<ImageStoreStats> {
    return (await this.#loaded()).stats();
  }

  onEvict(listener: (ids: string[]) => void): void {
    this.#evictListeners.push(listener);
    if (this.#store) void this.#store.then((store) => store.onEvict(listener)).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#store) await (await this.#store).close();
  }

  #loaded(): Promise<ImageStore> {
    this.#store ??= this.#load().then((store) => {
      for (const listener of this.#evictListeners) store.onEvict(listener);
      return store;
    });
    return this.#store;
  }
}
