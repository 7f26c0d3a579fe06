/**
 * Where the core reads its settings from. The shells own persistence (env + JSON file headless,
 * electron-store in the tray); the core only needs the current value and a change notification,
 * so that a Save in the UI applies without restarting the app.
 */
import type { Settings } from '../../../shared/settings-schema';

export type SettingsListener = (next: Settings, previous: Settings) => void;

export interface SettingsSource {
  get(): Settings;
  subscribe(listener: SettingsListener): () => void;
}

/** An in-memory source: the headless shell and the tests use it directly. */
export class MemorySettingsSource implements SettingsSource {
  #current: Settings;
  readonly #listeners = new Set<SettingsListener>();

  constructor(initial: Settings) {
    this.#current = Object.freeze({ ...initial });
  }

  get(): Settings {
    return this.#current;
  }

  update(patch: Partial<Settings>): Settings {
    const previous = this.#current;
    this.#current = Object.freeze({ ...previous, ...patch });
    for (const listener of this.#listeners) listener(this.#current, previous);
    return this.#current;
  }

  subscribe(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
