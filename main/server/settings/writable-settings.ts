/**
 * Settings the admin UI can change. Each shell persists them its own way (headless: a JSON file in
 * DATA_DIR over the environment; tray: electron-store with secrets encrypted); the core only needs
 * these operations, and applies changes live through the SettingsSource subscription.
 */
import type { SettingKey, Settings } from '../../../shared/settings-schema';
import type { SettingsSource } from './settings-source';

export type SettingOrigin = 'default' | 'environment' | 'saved';

export interface WritableSettingsSource extends SettingsSource {
  /** Validates with the settings schema (a 400 naming the setting when invalid), saves, notifies. */
  update(patch: Partial<Settings>): Promise<Settings>;
  /** Forgets saved values so the environment (or the default) applies again. */
  reset(keys: readonly SettingKey[]): Promise<Settings>;
  originOf(key: SettingKey): SettingOrigin;
  /**
   * Headless: every setting an environment variable gives, saved over or not (the UI can then offer
   * "back to the environment value"). Sources without an environment leave it out.
   */
  environmentKeys?(): readonly SettingKey[];
}
