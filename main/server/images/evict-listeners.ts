/**
 * The `onEvict` side of a store: listeners called with the ids the store dropped by itself.
 *
 * Evictions that happen before anyone listens (the local store's clean-up at start, which runs in
 * its constructor) are held and handed to the first listener, so the image index still follows.
 * A failing listener must not undo or fail the store's own work (the eviction has happened), so its
 * error goes to `reportError` and the other listeners still run.
 */
export type EvictListener = (ids: string[]) => void;

export class EvictListeners {
  readonly #listeners: EvictListener[] = [];
  readonly #reportError: (err: unknown) => void;
  #held: string[] = [];

  constructor(reportError: (err: unknown) => void = () => {}) {
    this.#reportError = reportError;
  }

  add(listener: EvictListener): void {
    this.#listeners.push(listener);
    if (this.#listeners.length === 1 && this.#held.length > 0) {
      const held = this.#held;
      this.#held = [];
      this.#call(listener, held);
    }
  }

  emit(ids: readonly string[]): void {
    if (ids.length === 0) return;
    if (this.#listeners.length === 0) {
      this.#held.push(...ids);
      return;
    }
    for (const listener of this.#listeners) this.#call(listener, [...ids]);
  }

  #call(listener: EvictListener, ids: string[]): void {
    try {
      listener(ids);
    } catch (err) {
      this.#reportError(err);
    }
  }
}
