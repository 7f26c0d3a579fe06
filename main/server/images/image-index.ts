/**
 * The image index (DESIGN §6): one record per saved image, whatever the store, feeding the gallery
 * and letting the chat pipeline recognise our own images by URL. Persisted in DATA_DIR as
 * `image-index` with JournaledState (an add or remove is on disk before it returns), bounded: beyond
 * `maxEntries` the oldest records leave the index (the images themselves are the store's business).
 */
import { mkdirSync } from 'node:fs';
import { JournaledState } from '../storage/journaled-state';
import { IMAGE_ID_PATTERN, type ImageStorageKind } from './image-store';
import { imageFileNameOfPath } from './served-images';

export type ImageSource = 'chat' | 'images-api' | 'xai';

export interface ImageIndexEntry {
  id: string;
  /** As the store returned it: `/images/<id>.<ext>` for gateway-served stores, absolute for clouds. */
  url: string;
  storage: ImageStorageKind;
  key: string;
  mimeType: string;
  bytes: number;
  model?: string;
  /** An excerpt of the prompt, at most PROMPT_EXCERPT_LENGTH characters. */
  prompt?: string;
  source: ImageSource;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface ImageIndexOptions {
  /** DATA_DIR (created when missing). */
  dir: string;
  /** Default 10,000. */
  maxEntries?: number;
  /** Compact after this many journal lines (JournaledState's default when omitted). */
  compactEvery?: number;
}

export interface ImageIndexPage {
  total: number;
  entries: ImageIndexEntry[];
}

export const DEFAULT_MAX_INDEX_ENTRIES = 10_000;
export const PROMPT_EXCERPT_LENGTH = 200;
const INDEX_NAME = 'image-index';

const STORAGE_KINDS: ReadonlySet<string> = new Set<ImageStorageKind>(['memory', 'local', 'qiniu', 'tencent']);
const SOURCES: ReadonlySet<string> = new Set<ImageSource>(['chat', 'images-api', 'xai']);

/** Whitespace collapsed, cut at a code-point boundary with an ellipsis so it stays within the limit. */
export function promptExcerpt(prompt: string): string {
  const text = prompt.replace(/\s+/g, ' ').trim();
  if (text.length <= PROMPT_EXCERPT_LENGTH) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > PROMPT_EXCERPT_LENGTH - 1) break;
    out += char;
  }
  return `${out}…`;
}

const isEntry = (raw: unknown): raw is ImageIndexEntry => {
  if (typeof raw !== 'object' || raw === null) return false;
  const e = raw as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    IMAGE_ID_PATTERN.test(e.id) &&
    typeof e.url === 'string' &&
    typeof e.storage === 'string' &&
    STORAGE_KINDS.has(e.storage) &&
    typeof e.key === 'string' &&
    typeof e.mimeType === 'string' &&
    typeof e.bytes === 'number' &&
    Number.isFinite(e.bytes) &&
    typeof e.source === 'string' &&
    SOURCES.has(e.source) &&
    typeof e.createdAt === 'number' &&
    (e.model === undefined || typeof e.model === 'string') &&
    (e.prompt === undefined || typeof e.prompt === 'string')
  );
};

/** Only the known fields, so the on-disk form never carries whatever else a caller attached. */
const cleanEntry = (e: ImageIndexEntry): ImageIndexEntry => ({
  id: e.id,
  url: e.url,
  storage: e.storage,
  key: e.key,
  mimeType: e.mimeType,
  bytes: e.bytes,
  ...(e.model !== undefined ? { model: e.model } : {}),
  ...(e.prompt !== undefined ? { prompt: promptExcerpt(e.prompt) } : {}),
  source: e.source,
  createdAt: e.createdAt,
});

type IndexOp = { op: 'add'; entry: ImageIndexEntry } | { op: 'remove'; ids: string[] };

/**
 * The in-memory state: entries by id in the order they were added (oldest first) plus a url lookup
 * and running totals. Serialised as a plain list through toJSON, which is all JournaledState stores.
 */
class IndexState {
  readonly byId = new Map<string, ImageIndexEntry>();
  readonly byUrl = new Map<string, string>();
  bytes = 0;

  constructor(readonly maxEntries: number) {}

  add(entry: ImageIndexEntry): void {
    this.remove(entry.id); // a re-added id becomes the newest
    this.byId.set(entry.id, entry);
    this.byUrl.set(entry.url, entry.id);
    this.bytes += entry.bytes;
    for (const id of this.byId.keys()) {
      if (this.byId.size <= this.maxEntries) break;
      this.remove(id);
    }
  }

  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    if (this.byUrl.get(entry.url) === id) this.byUrl.delete(entry.url);
    this.bytes -= entry.bytes;
    return true;
  }

  toJSON(): { entries: ImageIndexEntry[] } {
    return { entries: [...this.byId.values()] };
  }
}

export class ImageIndex {
  readonly #state: JournaledState<IndexState, IndexOp>;

  constructor(options: ImageIndexOptions) {
    mkdirSync(options.dir, { recursive: true });
    const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_MAX_INDEX_ENTRIES));
    this.#state = new JournaledState<IndexState, IndexOp>({
      dir: options.dir,
      name: INDEX_NAME,
      initial: () => new IndexState(maxEntries),
      apply: (state, op) => {
        // Journal lines are ours, but a hand-edited or foreign line must not crash the start.
        if (typeof op !== 'object' || op === null) return;
        if (op.op === 'add' && isEntry(op.entry)) state.add(op.entry);
        else if (op.op === 'remove' && Array.isArray(op.ids)) for (const id of op.ids) state.remove(id);
      },
      revive: (raw) => {
        const entries = (raw as { entries?: unknown } | null)?.entries;
        if (!Array.isArray(entries)) return undefined;
        const state = new IndexState(maxEntries);
        // A damaged record is dropped alone rather than costing the whole gallery.
        for (const entry of entries) if (isEntry(entry)) state.add(cleanEntry(entry));
        return state;
      },
      ...(options.compactEvery !== undefined ? { compactEvery: options.compactEvery } : {}),
    });
  }

  /** Records an image (persisted before returning) and gives back the stored form (prompt excerpted). */
  add(entry: ImageIndexEntry): ImageIndexEntry {
    const clean = cleanEntry(entry);
    if (!isEntry(clean)) throw new TypeError(`Not a valid image index entry: ${JSON.stringify(entry.id)}`);
    this.#state.commit({ op: 'add', entry: clean });
    return clean;
  }

  get(id: string): ImageIndexEntry | undefined {
    return this.#state.state.byId.get(id);
  }

  /**
   * The entry behind a URL: the exact stored URL, or an absolute http(s) URL on any host whose path
   * is `/images/<id>.<ext>` of a gateway-served entry (the gateway is reached under many names:
   * HOST_URL, localhost, a LAN address; the unguessable id is what identifies the image).
   */
  findByUrl(url: string): ImageIndexEntry | undefined {
    const state = this.#state.state;
    const exact = state.byUrl.get(url);
    if (exact !== undefined) return state.byId.get(exact);
    let path: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
      path = parsed.pathname;
    } catch {
      return undefined;
    }
    const name = imageFileNameOfPath(path);
    if (!name) return undefined;
    const entry = state.byId.get(name.id);
    return entry?.url === path ? entry : undefined;
  }

  /** Newest first. */
  list(page: { offset?: number; limit?: number } = {}): ImageIndexPage {
    const all = [...this.#state.state.byId.values()].reverse();
    const offset = Math.max(0, Math.floor(page.offset ?? 0));
    const limit = Math.max(0, Math.floor(page.limit ?? all.length));
    return { total: all.length, entries: all.slice(offset, offset + limit) };
  }

  /** Ids of the entries kept by one kind of store. */
  idsOf(storage: ImageStorageKind): string[] {
    return [...this.#state.state.byId.values()].filter((e) => e.storage === storage).map((e) => e.id);
  }

  /** Removes entries; returns the ids that were indexed. */
  remove(ids: readonly string[]): string[] {
    const byId = this.#state.state.byId;
    const present = [...new Set(ids)].filter((id) => byId.has(id));
    if (present.length > 0) this.#state.commit({ op: 'remove', ids: present });
    return present;
  }

  /** Count and size of the indexed entries, optionally of one kind of store only. */
  stats(storage?: ImageStorageKind): { count: number; bytes: number } {
    const state = this.#state.state;
    if (storage === undefined) return { count: state.byId.size, bytes: state.bytes };
    let count = 0;
    let bytes = 0;
    for (const e of state.byId.values()) {
      if (e.storage !== storage) continue;
      count++;
      bytes += e.bytes;
    }
    return { count, bytes };
  }

  /** Compacts the journal into the snapshot (on shutdown). */
  flush(): void {
    this.#state.compact();
  }
}
