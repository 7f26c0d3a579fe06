/**
 * The gateway's images: one index in DATA_DIR and the library around the store the settings choose.
 * Changing the settings of the storage in use swaps the store without a restart; the caps are read
 * live. A misconfigured store (missing credentials, a folder it cannot create) is reported at start,
 * on /health and in the UI, and images then fall back to data URLs in the reply — never lost, never
 * a 500, never a failed start.
 */
import type { LogBus } from '../logging/log-bus';
import type { SettingsSource } from '../settings/settings-source';
import { createImageStore, storeSettingsChanged } from './create-image-store';
import { ImageIndex } from './image-index';
import { ImageLibrary } from './image-library';

export interface ImageServiceStatus {
  storage: string;
  problem: string | null;
}

export class ImageService {
  readonly index: ImageIndex;
  readonly #settings: SettingsSource;
  readonly #log: LogBus;
  readonly #now: () => number;
  #library: ImageLibrary;
  readonly #unsubscribe: () => void;

  constructor(settings: SettingsSource, log: LogBus, now: () => number) {
    this.#settings = settings;
    this.#log = log;
    this.#now = now;
    this.index = new ImageIndex({ dir: settings.get().dataDir });
    this.#library = this.#build();
    this.#unsubscribe = settings.subscribe((next, prev) => {
      if (!storeSettingsChanged(next, prev)) return;
      const old = this.#library;
      this.#library = this.#build();
      void old.close().catch((err: unknown) => this.#reportError(err));
    });
  }

  get library(): ImageLibrary {
    return this.#library;
  }

  status(): ImageServiceStatus {
    return { storage: this.#library.store.kind, problem: this.#library.store.problem() ?? null };
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#library.close();
    this.index.flush();
  }

  #build(): ImageLibrary {
    const store = createImageStore({
      settings: this.#settings,
      index: this.index,
      now: this.#now,
      reportError: (err) => this.#reportError(err),
    });
    const problem = store.problem();
    // Problems are phrases without a full stop ("Qiniu storage needs QINIU_ACCESS_KEY, …").
    if (problem)
      this.#log.warn(
        `Image storage "${store.kind}" is not usable (${problem}); images are returned inline instead.`,
      );
    return new ImageLibrary({
      store,
      index: this.index,
      now: this.#now,
      reportError: (err) => this.#reportError(err),
    });
  }

  #reportError(err: unknown): void {
    this.#log.warn(`Image storage: ${err instanceof Error ? err.message : String(err)}`);
  }
}
