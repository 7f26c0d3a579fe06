/**
 * The WritableSettingsSource the admin edits, for whatever source the core was built with: the
 * shells' own (the headless file, the tray's electron-store) as they are; the in-memory source of
 * tests and tools through a volatile adapter, so the web admin works the same there, minus
 * persistence; any other source read-only.
 */
import type { SettingKey, Settings } from '../../../shared/settings-schema';
import { ApiError } from '../errors';
import { MemorySettingsSource, type SettingsListener, type SettingsSource } from './settings-source';
import { isSettingKey, parseSettingsPatch, unknownSettingError } from './validate-setting';
import type { SettingOrigin, WritableSettingsSource } from './writable-settings';

export const isWritableSettings = (source: SettingsSource): source is WritableSettingsSource => {
  const s = source as Partial<WritableSettingsSource>;
  return typeof s.update === 'function' && typeof s.reset === 'function' && typeof s.originOf === 'function';
};

/** Changes apply to the wrapped source; reset goes back to the values it had when wrapped. */
class VolatileSettings implements WritableSettingsSource {
  readonly #source: MemorySettingsSource;
  readonly #initial: Settings;
  readonly #changed = new Set<SettingKey>();

  constructor(source: MemorySettingsSource) {
    this.#source = source;
    this.#initial = source.get();
  }

  get(): Settings {
    return this.#source.get();
  }

  subscribe(listener: SettingsListener): () => void {
    return this.#source.subscribe(listener);
  }

  originOf(key: SettingKey): SettingOrigin {
    return this.#changed.has(key) ? 'saved' : 'default';
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const parsed = parseSettingsPatch(patch);
    for (const key of Object.keys(parsed) as SettingKey[]) this.#changed.add(key);
    return this.#source.update(parsed as Partial<Settings>);
  }

  async reset(keys: readonly SettingKey[]): Promise<Settings> {
    const restored: Partial<Record<SettingKey, unknown>> = {};
    for (const key of keys) {
      if (!isSettingKey(key)) throw unknownSettingError(String(key));
      restored[key] = this.#initial[key];
      this.#changed.delete(key);
    }
    return this.#source.update(restored as Partial<Settings>);
  }
}

const readOnly = (source: SettingsSource): WritableSettingsSource => {
  const refuse = async (): Promise<never> => {
    throw new ApiError('permission_denied', 'The settings of this gateway cannot be changed from the admin.');
  };
  return {
    get: () => source.get(),
    subscribe: (listener) => source.subscribe(listener),
    originOf: () => 'default',
    update: refuse,
    reset: refuse,
  };
};

export function writableSettingsOf(source: SettingsSource): WritableSettingsSource {
  if (isWritableSettings(source)) return source;
  if (source instanceof MemorySettingsSource) return new VolatileSettings(source);
  return readOnly(source);
}
