/**
 * The Gemini keys the owner switched off in the admin stay off across restarts: their ids (a hash
 * prefix of the key, never the key) are kept in `DATA_DIR/disabled-keys.json`. Keys the gateway
 * disabled itself (invalid, 403) are not kept: the start-up check finds them again, and a key Google
 * re-enabled should come back without the owner's help.
 *
 * The file is tiny and changes only on an owner's click, so it is rewritten whole, atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../storage/atomic-file';
import type { KeyPool } from './key-pool';

export const OWNER_DISABLED_REASON = 'disabled in the admin';

const FILE_NAME = 'disabled-keys.json';

interface FileShape {
  version: 1;
  ids: string[];
}

export class OwnerDisabledKeys {
  readonly #path: string;
  readonly #ids: Set<string>;

  constructor(dataDir: string, onUnreadable: (message: string) => void) {
    this.#path = join(dataDir, FILE_NAME);
    this.#ids = new Set(readIds(this.#path, onUnreadable));
  }

  /** Switches the remembered keys off in the pool (at start, and after the key list changes). */
  applyTo(pool: KeyPool): void {
    for (const id of this.#ids) pool.disable(id, OWNER_DISABLED_REASON, true);
  }

  /** Records the owner's switch; written before the admin call returns. */
  remember(id: string, disabled: boolean): void {
    if (this.#ids.has(id) === disabled) return;
    if (disabled) this.#ids.add(id);
    else this.#ids.delete(id);
    this.#write();
  }

  /** Forgets keys no longer configured: a key removed and pasted again months later starts afresh. */
  keepOnly(ids: readonly string[]): void {
    const kept = new Set(ids);
    const before = this.#ids.size;
    for (const id of this.#ids) if (!kept.has(id)) this.#ids.delete(id);
    if (this.#ids.size !== before) this.#write();
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  #write(): void {
    const shape: FileShape = { version: 1, ids: [...this.#ids].sort() };
    writeFileAtomicSync(this.#path, `${JSON.stringify(shape)}\n`);
  }
}

function readIds(path: string, onUnreadable: (message: string) => void): string[] {
  if (!existsSync(path)) return [];
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<FileShape>;
    if (!Array.isArray(parsed.ids)) throw new Error('no "ids" list');
    return parsed.ids.filter((id): id is string => typeof id === 'string');
  } catch (err) {
    // Losing the owner's switches is better than refusing to start: every key comes back on.
    onUnreadable(
      `${path} is unreadable (${err instanceof Error ? err.message : String(err)}); keys the owner disabled are enabled again.`,
    );
    return [];
  }
}
