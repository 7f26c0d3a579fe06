/**
 * The memory store: the ImageStore contract (served by a real /images/ route), then what only it
 * does: LRU eviction at MEMORY_MAX_IMAGE_NUMBER and MEMORY_MAX_IMAGE_MB, both read on every save,
 * reported so the index follows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageIndex } from '../../main/server/images/image-index';
import { ImageLibrary } from '../../main/server/images/image-library';
import { newImageId } from '../../main/server/images/image-store';
import { MemoryImageStore } from '../../main/server/images/memory-store';
import { makePng } from '../fakes/fake-gemini';
import { imageStoreContract } from './image-store-contract';
import { startMediaApp } from './media-app';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gemgate-memory-store-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

imageStoreContract('memory', async () => {
  const dir = tempDir();
  const store = new MemoryImageStore({
    maxImages: () => 1000,
    maxBytes: () => 256 * 1024 * 1024,
    now: Date.now,
  });
  const library = new ImageLibrary({ store, index: new ImageIndex({ dir }), now: Date.now });
  const server = await startMediaApp(() => library);
  return {
    store,
    fetchUrl: server.fetchUrl,
    cleanup: async () => {
      await server.close();
      await library.close();
    },
  };
});

function makeStore(max: number, maxBytes = 256 * 1024 * 1024) {
  let cap = max;
  let byteCap = maxBytes;
  let t = 1_700_000_000_000;
  const store = new MemoryImageStore({ maxImages: () => cap, maxBytes: () => byteCap, now: () => (t += 1) });
  return { store, setCap: (n: number) => (cap = n), setByteCap: (n: number) => (byteCap = n) };
}

/** A PNG-typed buffer of exactly `size` bytes (the store does not decode images). */
const blob = (size: number, fill: number) => Buffer.alloc(size, fill);

describe('MemoryImageStore', () => {
  it('declares itself gateway-served, not persistent, evicting; urls and keys are <id>.<ext>', async () => {
    const { store } = makeStore(10);
    expect(store.kind).toBe('memory');
    expect(store.capabilities).toEqual({ servedByGateway: true, persistent: false, evicts: true });
    const saved = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
    expect(saved.key).toBe(`${saved.id}.png`);
    expect(saved.url).toBe(`/images/${saved.id}.png`);
    const jpeg = await store.save({ bytes: makePng(2), mimeType: 'image/JPG' });
    expect(jpeg.mimeType).toBe('image/jpeg');
    expect(jpeg.key).toBe(`${jpeg.id}.jpg`);
  });

  it('evicts the least recently used image beyond the cap and reports it', async () => {
    const { store } = makeStore(3);
    const evicted: string[][] = [];
    store.onEvict((ids) => evicted.push(ids));
    const a = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
    const b = await store.save({ bytes: makePng(2), mimeType: 'image/png' });
    const c = await store.save({ bytes: makePng(3), mimeType: 'image/png' });
    expect(evicted).toEqual([]);
    await store.get(a.id); // a is now more recent than b
    const d = await store.save({ bytes: makePng(4), mimeType: 'image/png' });
    expect(evicted).toEqual([[b.id]]);
    expect(await store.get(b.id)).toBeUndefined();
    for (const kept of [a, c, d]) expect(store.has(kept.id)).toBe(true);
    expect(await store.stats()).toEqual({
      count: 3,
      bytes: makePng(1).length + makePng(3).length + makePng(4).length,
    });
  });

  it('reads the cap on every save, so lowering it applies at the next save', async () => {
    const { store, setCap } = makeStore(10);
    const evicted: string[] = [];
    store.onEvict((ids) => evicted.push(...ids));
    const saved = [];
    for (let i = 0; i < 5; i++) saved.push(await store.save({ bytes: makePng(i), mimeType: 'image/png' }));
    setCap(2);
    const last = await store.save({ bytes: makePng(9), mimeType: 'image/png' });
    expect(evicted).toEqual(saved.slice(0, 4).map((s) => s.id));
    expect((await store.stats()).count).toBe(2);
    expect(store.has(last.id)).toBe(true);
    expect(store.has(saved[4]!.id)).toBe(true);
  });

  it('evicts the least recently used images beyond MEMORY_MAX_IMAGE_MB, whatever the count', async () => {
    const { store } = makeStore(1000, 2500);
    const evicted: string[][] = [];
    store.onEvict((ids) => evicted.push(ids));
    const a = await store.save({ bytes: blob(1000, 1), mimeType: 'image/png' });
    const b = await store.save({ bytes: blob(1000, 2), mimeType: 'image/png' });
    await store.get(a.id); // a is now more recent than b
    const c = await store.save({ bytes: blob(1000, 3), mimeType: 'image/png' });
    expect(evicted).toEqual([[b.id]]);
    expect(await store.get(b.id)).toBeUndefined();
    expect(store.has(a.id) && store.has(c.id)).toBe(true);
    expect(await store.stats()).toEqual({ count: 2, bytes: 2000 });

    // One save can take several older images with it.
    const d = await store.save({ bytes: blob(2000, 4), mimeType: 'image/png' });
    expect(evicted.at(-1)).toEqual([a.id, c.id]);
    expect(await store.stats()).toEqual({ count: 1, bytes: 2000 });
    expect((await store.get(d.id))?.bytes.equals(blob(2000, 4))).toBe(true);
  });

  it('keeps the image a save hands out even when it alone exceeds MEMORY_MAX_IMAGE_MB', async () => {
    const { store } = makeStore(1000, 1500);
    const evicted: string[] = [];
    store.onEvict((ids) => evicted.push(...ids));
    const small = await store.save({ bytes: blob(500, 1), mimeType: 'image/png' });
    const big = await store.save({ bytes: blob(4000, 2), mimeType: 'image/png' });
    expect(evicted).toEqual([small.id]);
    expect((await store.get(big.id))?.bytes.length).toBe(4000);
    expect(await store.stats()).toEqual({ count: 1, bytes: 4000 });
  });

  it('reads the byte cap on every save, so lowering it applies at the next save', async () => {
    const { store, setByteCap } = makeStore(1000, 1_000_000);
    const saved = [];
    for (let i = 0; i < 4; i++) saved.push(await store.save({ bytes: blob(1000, i), mimeType: 'image/png' }));
    setByteCap(2000);
    const last = await store.save({ bytes: blob(1000, 9), mimeType: 'image/png' });
    expect(saved.filter((s) => store.has(s.id)).map((s) => s.id)).toEqual([saved[3]!.id]);
    expect(store.has(last.id)).toBe(true);
    expect(await store.stats()).toEqual({ count: 2, bytes: 2000 });
  });

  it('keeps a copy: changing the caller buffer afterwards does not change the served bytes', async () => {
    const { store } = makeStore(10);
    const bytes = makePng(1);
    const saved = await store.save({ bytes, mimeType: 'image/png' });
    bytes.fill(0);
    expect((await store.get(saved.id))?.bytes.equals(makePng(1))).toBe(true);
  });

  it('refuses types the gateway must not serve from its own origin', async () => {
    const { store } = makeStore(10);
    for (const mimeType of ['text/html', 'image/svg+xml', 'application/octet-stream', '']) {
      await expect(store.save({ bytes: Buffer.from('<svg onload=alert(1)>'), mimeType })).rejects.toThrow(
        /Unsupported image type/,
      );
    }
    expect((await store.stats()).count).toBe(0);
  });

  it('retries an id that is already taken (a repeating random source)', async () => {
    const T = 1_700_000_000_000;
    let calls = 0;
    const store = new MemoryImageStore({
      maxImages: () => 10,
      maxBytes: () => 1024 * 1024,
      now: () => T,
      random: (n) => Buffer.alloc(n, calls++ < 2 ? 7 : 8),
    });
    const first = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
    const second = await store.save({ bytes: makePng(2), mimeType: 'image/png' });
    expect(first.id).toBe(newImageId(T, Buffer.alloc(8, 7)));
    expect(second.id).toBe(newImageId(T, Buffer.alloc(8, 8)));
    expect((await store.get(first.id))?.bytes.equals(makePng(1))).toBe(true);
  });

  it('lets the index follow its evictions through an ImageLibrary', async () => {
    const { store } = makeStore(2);
    const index = new ImageIndex({ dir: tempDir() });
    const library = new ImageLibrary({ store, index, now: () => 1 });
    const a = await library.save(makePng(1), 'image/png', { source: 'chat', prompt: 'a cat' });
    const b = await library.save(makePng(2), 'image/png', { source: 'chat' });
    expect(index.get(a.id)?.prompt).toBe('a cat');
    const c = await library.save(makePng(3), 'image/png', { source: 'images-api' });
    expect(index.get(a.id)).toBeUndefined();
    expect(library.list().entries.map((e) => e.id)).toEqual([c.id, b.id]);
    expect(await library.stats()).toEqual({ count: 2, bytes: makePng(2).length + makePng(3).length });
  });

  it('forgets everything on close', async () => {
    const { store } = makeStore(10);
    const saved = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
    await store.close();
    expect(await store.get(saved.id)).toBeUndefined();
    expect(await store.stats()).toEqual({ count: 0, bytes: 0 });
  });
});
