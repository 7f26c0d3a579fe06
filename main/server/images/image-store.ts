/**
 * The ImageStore port (DESIGN §6): where generated images live. Four adapters implement it —
 * memory (LRU by count and size), local disk (count and size caps, periodic clean-up, atomic
 * writes), Qiniu and Tencent COS — and one contract test suite (test/contract/image-store-contract.ts)
 * runs against each. Names are always generated here, never taken from a request.
 */

export type ImageStorageKind = 'memory' | 'local' | 'qiniu' | 'tencent';

export interface SaveImageInput {
  bytes: Buffer;
  /** image/png, image/jpeg, image/webp, image/gif */
  mimeType: string;
}

export interface SavedImage {
  /** Generated, URL-safe, unique: `<time>-<random>` plus nothing the caller chose. */
  id: string;
  /**
   * Where the image can be fetched. Cloud adapters return an absolute URL on the bucket domain;
   * memory and local return a path under `/images/` that the caller makes absolute with HOST_URL or
   * the request's origin.
   */
  url: string;
  /** Object key in the backend (the file name for local, the object key for the clouds). */
  key: string;
  mimeType: string;
  bytes: number;
}

export interface StoredImageData {
  bytes: Buffer;
  mimeType: string;
}

export interface ImageStoreStats {
  count: number;
  bytes: number;
}

export interface ImageStoreCapabilities {
  /** Gemgate itself serves the images under /images/ (memory, local). */
  servedByGateway: boolean;
  /** Images survive a restart of the gateway. */
  persistent: boolean;
  /** The store removes old images by itself (caps); `onEvict` reports them. */
  evicts: boolean;
}

export interface ImageStore {
  readonly kind: ImageStorageKind;
  readonly capabilities: ImageStoreCapabilities;
  /** A configuration problem (missing credential, …) in words, or undefined when usable. */
  problem(): string | undefined;
  save(input: SaveImageInput): Promise<SavedImage>;
  /** The bytes of an image this store saved, by id (undefined when gone). */
  get(id: string): Promise<StoredImageData | undefined>;
  /** Removes images; resolves with the ids that were removed. */
  delete(ids: readonly string[]): Promise<string[]>;
  /** What the store holds (for cloud stores: what this gateway saved and has not deleted). */
  stats(): Promise<ImageStoreStats>;
  /** Called with ids the store dropped on its own (caps, clean-up), so the index can follow. */
  onEvict(listener: (ids: string[]) => void): void;
  close(): Promise<void>;
}

export const IMAGE_MIME_EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

export const extensionFor = (mimeType: string): string => IMAGE_MIME_EXTENSIONS[mimeType] ?? 'bin';

/**
 * A new image id: time-ordered (base-36 milliseconds, fixed width) so a listing sorts by age, plus
 * 64 random bits so ids cannot be guessed or collide. Only [0-9a-z-]: safe in paths and URLs.
 */
export const newImageId = (now: number, random: Buffer): string =>
  `${Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')}-${random.toString('hex').slice(0, 16)}`;

/**
 * A new id that `taken` does not hold yet. 64 random bits make a clash practically impossible; an
 * injected (test) random source may not, so the stores that know their ids ask for one not in use.
 */
export function unusedImageId(
  now: () => number,
  random: (size: number) => Buffer,
  taken: { has(id: string): boolean },
): string {
  let id = newImageId(now(), random(8));
  while (taken.has(id)) id = newImageId(now(), random(8));
  return id;
}

export const IMAGE_ID_PATTERN = /^[0-9a-z]{9}-[0-9a-f]{16}$/;
