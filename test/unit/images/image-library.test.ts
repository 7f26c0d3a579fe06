/**
 * ImageLibrary: store + index kept in step — saves indexed with their metadata, deletes and
 * evictions leave the index, vanished images are forgotten at start (unless the store cannot tell),
 * a store with a problem deletes nothing and forgets nothing, stats from the right source.
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { ImageIndex, type ImageIndexEntry } from '../../../main/server/images/image-index';
import { ImageLibrary } from '../../../main/server/images/image-library';
import {
  newImageId,
  type ImageStore,
  type SaveImageInput,
  type SavedImage,
  type StoredImageData,
} from '../../../main/server/images/image-store';
import { LocalImageStore } from '../../../main/server/images/local-store';
import { MemoryImageStore } from '../../../main/server/images/memory-store';
import { makePng } from '../../fakes/fake-gemini';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gemgate-image-library-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_700_000_000_000;

/** A cloud-like store (absolute URLs, not served by the gateway, no `has`), held in a Map. */
class FakeCloudStore implements ImageStore {
  readonly kind = 'qiniu' as const;
  readonly capabilities = { servedByGateway: false, persistent: true, evicts: false };
  readonly objects = new Map<string, StoredImageData>();
  readonly get = vi.fn(async (id: string) => this.objects.get(id));
  #n = 0;
  #listeners: ((ids: string[]) => void)[] = [];
  /** When set, the store evicts the image it is saving before the save resolves (a racing cap). */
  evictOwnSave = false;

  problem(): string | undefined {
    return undefined;
  }
  async save(input: SaveImageInput): Promise<SavedImage> {
    const id = newImageId(T0 + ++this.#n, Buffer.alloc(8, this.#n));
    this.objects.set(id, { bytes: input.bytes, mimeType: input.mimeType });
    if (this.evictOwnSave) {
      this.objects.delete(id);
      for (const l of this.#listeners) l([id]);
    }
    const key = `gemgate/${id}.png`;
    return {
      id,
      url: `https://cdn.example.com/${key}`,
      key,
      mimeType: input.mimeType,
      bytes: input.bytes.length,
    };
  }
  async delete(ids: readonly string[]): Promise<string[]> {
    return ids.filter((id) => this.objects.delete(id));
  }
  async stats() {
    return { count: 999, bytes: 999 };
  }
  onEvict(listener: (ids: string[]) => void): void {
    this.#listeners.push(listener);
  }
  close = vi.fn(async () => {});
}

const memoryStore = (max = 100) =>
  new MemoryImageStore({ maxImages: () => max, maxBytes: () => 64 * 1024 * 1024, now: () => T0 });

function entryOf(storage: ImageIndexEntry['storage'], n: number): ImageIndexEntry {
  const id = newImageId(T0 - n * 1000, Buffer.alloc(8, n));
  return {
    id,
    url: `/images/${id}.png`,
    storage,
    key: `${id}.png`,
    mimeType: 'image/png',
    bytes: n,
    source: 'chat',
    createdAt: T0 - n * 1000,
  };
}

describe('ImageLibrary', () => {
  it('saves to the store and records the image with its metadata in the index', async () => {
    const store = memoryStore();
    const index = new ImageIndex({ dir: tempDir() });
    const library = new ImageLibrary({ store, index, now: () => T0 + 5 });
    const entry = await library.save(makePng(1), 'image/png', {
      source: 'images-api',
      model: 'imagen-4.0-generate-001',
      prompt: `draw ${'x'.repeat(500)}`,
    });
    expect(entry).toMatchObject({
      url: `/images/${entry.id}.png`,
      storage: 'memory',
      key: `${entry.id}.png`,
      mimeType: 'image/png',
      bytes: makePng(1).length,
      model: 'imagen-4.0-generate-001',
      source: 'images-api',
      createdAt: T0 + 5,
    });
    expect(entry.prompt!.length).toBeLessThanOrEqual(200);
    expect(index.get(entry.id)).toEqual(entry);
    expect(library.findByUrl(`http://localhost:7860${entry.url}`)).toEqual(entry);
    expect((await library.read(entry.id))?.bytes.equals(makePng(1))).toBe(true);
  });

  it('deletes from store and index, also dropping index entries the store no longer has', async () => {
    const store = memoryStore();
    const index = new ImageIndex({ dir: tempDir() });
    const library = new ImageLibrary({ store, index, now: () => T0 });
    const a = await library.save(makePng(1), 'image/png', { source: 'chat' });
    const b = await library.save(makePng(2), 'image/png', { source: 'chat' });
    await store.delete([b.id]); // gone from the store behind the library's back
    const stranger = newImageId(T0, Buffer.alloc(8, 0xee));
    expect((await library.delete([a.id, b.id, stranger, '../../etc/passwd'])).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect(library.list()).toEqual({ total: 0, entries: [] });
    expect(await store.stats()).toEqual({ count: 0, bytes: 0 });
  });

  it('asks a store without `has` whether it still holds an image before dropping its entry', async () => {
    const store = new FakeCloudStore();
    const index = new ImageIndex({ dir: tempDir() });
    const library = new ImageLibrary({ store, index, now: () => T0 });
    const kept = await library.save(makePng(1), 'image/png', { source: 'xai' });
    // The store "fails" to delete it (reports nothing removed) yet still has it: the entry stays.
    vi.spyOn(store, 'delete').mockResolvedValueOnce([]);
    expect(await library.delete([kept.id])).toEqual([]);
    expect(store.get).toHaveBeenCalledWith(kept.id);
    expect(index.get(kept.id)).toBeDefined();
    expect(await library.delete([kept.id])).toEqual([kept.id]);
    expect(index.get(kept.id)).toBeUndefined();
  });

  it('follows store evictions, and never indexes an image evicted before its save returned', async () => {
    const store = memoryStore(1);
    const index = new ImageIndex({ dir: tempDir() });
    const library = new ImageLibrary({ store, index, now: () => T0 });
    const a = await library.save(makePng(1), 'image/png', { source: 'chat' });
    const b = await library.save(makePng(2), 'image/png', { source: 'chat' });
    expect(library.list().entries.map((e) => e.id)).toEqual([b.id]);
    expect(index.get(a.id)).toBeUndefined();

    const cloud = new FakeCloudStore();
    const cloudLibrary = new ImageLibrary({ store: cloud, index, now: () => T0 });
    cloud.evictOwnSave = true;
    const gone = await cloudLibrary.save(makePng(3), 'image/png', { source: 'chat' });
    expect(index.get(gone.id)).toBeUndefined();
  });

  it('at start forgets memory images and local images the store does not hold, keeps cloud ones', () => {
    const dir = tempDir();
    const index = new ImageIndex({ dir });
    const [mem, local, cloud] = [entryOf('memory', 1), entryOf('local', 2), entryOf('qiniu', 3)];
    for (const e of [mem, local, cloud]) index.add(e);
    new ImageLibrary({ store: new FakeCloudStore(), index, now: () => T0 });
    expect(index.idsOf('memory')).toEqual([]);
    expect(index.list().entries.map((e) => e.id)).toEqual([cloud.id, local.id]);
    new ImageLibrary({ store: memoryStore(), index, now: () => T0 });
    expect(index.list().entries.map((e) => e.id)).toEqual([cloud.id, local.id]);
  });

  it('keeps the local entries while the local folder cannot be used, and forgets them once it can be read', () => {
    const dir = tempDir();
    const index = new ImageIndex({ dir });
    const local = entryOf('local', 2);
    index.add(local);
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const caps = { maxImages: () => 10, maxBytes: () => 1e9, cleanIntervalMs: () => 0, now: () => T0 };
    const broken = new LocalImageStore({ dir: join(blocker, 'images'), ...caps });
    expect(broken.problem()).toBeDefined();
    new ImageLibrary({ store: broken, index, now: () => T0 });
    // The folder says nothing about its files: the gallery keeps them until it can be read again.
    expect(index.idsOf('local')).toEqual([local.id]);

    const working = new LocalImageStore({ dir: join(dir, 'images'), ...caps });
    new ImageLibrary({ store: working, index, now: () => T0 });
    expect(index.idsOf('local')).toEqual([]);
    void broken.close();
    void working.close();
  });

  it('refuses to delete while the local folder cannot be used: the entry stays, and is deletable once it works', async () => {
    const root = tempDir();
    const dir = join(root, 'images');
    const index = new ImageIndex({ dir: root });
    const caps = { maxImages: () => 10, maxBytes: () => 1e9, cleanIntervalMs: () => 0, now: () => T0 };
    const first = new LocalImageStore({ dir, ...caps });
    const saved = await new ImageLibrary({ store: first, index, now: () => T0 }).save(
      makePng(1),
      'image/png',
      {
        source: 'chat',
      },
    );
    await first.close();

    // The folder is replaced by a file: the store has a problem and knows no ids at all.
    const aside = join(root, 'images-aside');
    renameSync(dir, aside);
    writeFileSync(dir, 'not a folder');
    const broken = new LocalImageStore({ dir, ...caps });
    const problem = broken.problem();
    expect(problem).toBeDefined();
    const blocked = new ImageLibrary({ store: broken, index, now: () => T0 });
    const refused = await blocked.delete([saved.id]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    // The storage's state, not a fault of the gateway's: 503, not a 500 logged as an error.
    expect(refused).toMatchObject({ code: 'storage_unavailable', status: 503 });
    expect((refused as ApiError).message).toContain(problem);
    expect((refused as ApiError).message).toContain('no image was deleted');
    expect(blocked.list().entries.map((e) => e.id)).toEqual([saved.id]);
    await broken.close();

    // The folder is back: its file is rescanned, and the gallery still lists and deletes it.
    rmSync(dir);
    renameSync(aside, dir);
    const working = new LocalImageStore({ dir, ...caps });
    const library = new ImageLibrary({ store: working, index, now: () => T0 });
    expect(library.list().entries.map((e) => e.id)).toEqual([saved.id]);
    expect(await library.delete([saved.id])).toEqual([saved.id]);
    expect(library.list().total).toBe(0);
    expect(existsSync(join(dir, saved.key))).toBe(false);
    await working.close();
  });

  it('counts with the store when the gateway serves it, with the index (that backend only) for clouds', async () => {
    const index = new ImageIndex({ dir: tempDir() });
    index.add(entryOf('tencent', 7));
    const cloud = new ImageLibrary({ store: new FakeCloudStore(), index, now: () => T0 });
    await cloud.save(Buffer.alloc(10), 'image/png', { source: 'chat' });
    await cloud.save(Buffer.alloc(20), 'image/png', { source: 'chat' });
    expect(await cloud.stats()).toEqual({ count: 2, bytes: 30 });

    const store = memoryStore();
    await store.save({ bytes: Buffer.alloc(5), mimeType: 'image/png' }); // not through the library
    const served = new ImageLibrary({ store, index, now: () => T0 });
    expect(await served.stats()).toEqual({ count: 1, bytes: 5 });
  });

  it('never passes a malformed id to the store', async () => {
    const store = new FakeCloudStore();
    const library = new ImageLibrary({ store, index: new ImageIndex({ dir: tempDir() }), now: () => T0 });
    expect(await library.read('../../etc/passwd')).toBeUndefined();
    expect(await library.read('')).toBeUndefined();
    expect(store.get).not.toHaveBeenCalled();
  });

  it('returns the entry even when the index cannot record it, and reports why', async () => {
    class FullDiskIndex extends ImageIndex {
      override add(): ImageIndexEntry {
        throw new Error('ENOSPC: no space left on device');
      }
    }
    const reportError = vi.fn();
    const store = memoryStore();
    const library = new ImageLibrary({
      store,
      index: new FullDiskIndex({ dir: tempDir() }),
      now: () => T0,
      reportError,
    });
    const entry = await library.save(makePng(1), 'image/png', { source: 'chat' });
    expect(store.has(entry.id)).toBe(true);
    expect(reportError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringContaining('ENOSPC') }),
    );
  });

  it('closes the store and compacts the index', async () => {
    const dir = tempDir();
    const store = new FakeCloudStore();
    const library = new ImageLibrary({ store, index: new ImageIndex({ dir }), now: () => T0 });
    await library.save(makePng(1), 'image/png', { source: 'chat' });
    expect(existsSync(join(dir, 'image-index.journal'))).toBe(true);
    await library.close();
    expect(store.close).toHaveBeenCalledOnce();
    expect(existsSync(join(dir, 'image-index.journal'))).toBe(false);
    expect(new ImageIndex({ dir }).list().total).toBe(1);
  });
});
