/**
 * The local disk store: the ImageStore contract (served by a real /images/ route), then its own
 * duties: count and size caps oldest-first, the clean-up timer, restarts, temp and foreign files,
 * symlinks, exact accounting, and a folder it cannot use reported as a problem.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImageIndex } from '../../main/server/images/image-index';
import { ImageLibrary } from '../../main/server/images/image-library';
import { newImageId } from '../../main/server/images/image-store';
import { LocalImageStore, type LocalImageStoreOptions } from '../../main/server/images/local-store';
import { makePng } from '../fakes/fake-gemini';
import { imageStoreContract } from './image-store-contract';
import { startMediaApp } from './media-app';

const tempDirs: string[] = [];
const stores: LocalImageStore[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gemgate-local-store-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

imageStoreContract('local', async () => {
  const dir = tempDir();
  const store = new LocalImageStore({
    dir: join(dir, 'images'),
    maxImages: () => 1000,
    maxBytes: () => 100 * 1024 * 1024,
    cleanIntervalMs: () => 3_600_000,
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

interface Harness {
  store: LocalImageStore;
  dir: string;
  caps: { images: number; bytes: number; intervalMs: number };
  clock: { t: number };
  evicted: string[];
}

function open(dir: string, overrides: Partial<Harness['caps']> = {}, clock = { t: Date.now() }): Harness {
  const caps = { images: 100, bytes: 10_000_000, intervalMs: 0, ...overrides };
  const options: LocalImageStoreOptions = {
    dir,
    maxImages: () => caps.images,
    maxBytes: () => caps.bytes,
    cleanIntervalMs: () => caps.intervalMs,
    now: () => clock.t,
  };
  const store = new LocalImageStore(options);
  stores.push(store);
  const evicted: string[] = [];
  store.onEvict((ids) => evicted.push(...ids));
  return { store, dir, caps, clock, evicted };
}

/** Saves with the clock moving forward, so ids (and ages) follow the order of the calls. */
async function saveSequence(h: Harness, sizes: number[], stepMs = 1000) {
  const saved = [];
  for (const [i, size] of sizes.entries()) {
    h.clock.t += stepMs;
    saved.push(await h.store.save({ bytes: Buffer.alloc(size, i + 1), mimeType: 'image/png' }));
  }
  return saved;
}

const files = (dir: string): string[] => readdirSync(dir).sort();

/** An image file written as if by an earlier run, `ageMs` old by its id. */
function plantImage(dir: string, ageMs: number, bytes = makePng(0)): string {
  const id = newImageId(Date.now() - ageMs, randomBytes(8));
  writeFileSync(join(dir, `${id}.png`), bytes);
  return id;
}

describe('LocalImageStore', () => {
  it('writes <id>.<ext> files in its folder (created when missing), no temp file left behind', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const { store } = open(dir);
    expect(store.capabilities).toEqual({ servedByGateway: true, persistent: true, evicts: true });
    const saved = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
    expect(saved.key).toBe(`${saved.id}.png`);
    expect(saved.url).toBe(`/images/${saved.id}.png`);
    expect(files(dir)).toEqual([saved.key]);
    expect(readFileSync(join(dir, saved.key)).equals(makePng(1))).toBe(true);
  });

  it('a folder it cannot create is a problem() it reports, not an exception; saves are refused', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'a-file'), 'in the way');
    const dir = join(root, 'a-file', 'images'); // below a regular file: ENOTDIR
    const reported: unknown[] = [];
    const store = new LocalImageStore({
      dir,
      maxImages: () => 10,
      maxBytes: () => 10_000_000,
      cleanIntervalMs: () => 1000,
      now: Date.now,
      reportError: (err) => reported.push(err),
    });
    stores.push(store);
    expect(store.problem()).toMatch(
      /^Local storage cannot use its image folder \(E[A-Z]+\); set IMAGE_STORAGE_DIR/,
    );
    // The path goes to the log only: problem() reaches the open /health.
    expect(store.problem()).not.toContain(root);
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toContain(dir);
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(store.problem()!);
    expect(await store.stats()).toEqual({ count: 0, bytes: 0 });
    expect(await store.get(newImageId(Date.now(), randomBytes(8)))).toBeUndefined();
    expect(await store.delete([newImageId(Date.now(), randomBytes(8))])).toEqual([]);
  });

  it('keeps the newest LOCAL_MAX_IMAGE_NUMBER images, removing the oldest files first', async () => {
    const h = open(tempDir(), { images: 3 });
    const saved = await saveSequence(h, [10, 20, 30, 40, 50]);
    expect(h.evicted).toEqual([saved[0]!.id, saved[1]!.id]);
    expect(files(h.dir)).toEqual(saved.slice(2).map((s) => s.key));
    expect(await h.store.stats()).toEqual({ count: 3, bytes: 30 + 40 + 50 });
  });

  it('keeps the images within LOCAL_MAX_IMAGE_SIZE_MB, removing the oldest first', async () => {
    const h = open(tempDir(), { bytes: 2500 });
    const saved = await saveSequence(h, [1000, 1000, 1000]);
    expect(h.evicted).toEqual([saved[0]!.id]);
    expect(files(h.dir)).toEqual([saved[1]!.key, saved[2]!.key]);
    await saveSequence(h, [2000]);
    expect(h.evicted).toEqual([saved[0]!.id, saved[1]!.id, saved[2]!.id]);
    expect(await h.store.stats()).toEqual({ count: 1, bytes: 2000 });
  });

  it('never removes the image a save is handing out, even when it alone exceeds the size cap', async () => {
    const h = open(tempDir(), { bytes: 1000 });
    const [small, big] = await saveSequence(h, [500, 5000]);
    expect(h.evicted).toEqual([small!.id]);
    expect((await h.store.get(big!.id))?.bytes.length).toBe(5000);
  });

  it('removes by the age in the id, not by the order saves happened to finish in', async () => {
    const h = open(tempDir(), { images: 2 });
    h.clock.t += 10_000;
    const [later] = await saveSequence(h, [10]);
    h.clock.t -= 5_000; // an older id recorded after a newer one (as when concurrent writes finish out of order)
    const [earlier] = await saveSequence(h, [10]);
    expect(earlier!.id < later!.id).toBe(true);
    h.clock.t += 20_000;
    const [newest] = await saveSequence(h, [10]);
    expect(h.evicted).toEqual([earlier!.id]);
    expect(files(h.dir)).toEqual([later!.key, newest!.key]);
  });

  it('finds the images of an earlier run, counts them and enforces the caps on them at start', async () => {
    const dir = tempDir();
    // Planted out of order: removal must follow the age in the id, not the directory order.
    // (The oldest is neither first nor last created, whichever order the directory lists them in.)
    const newest = plantImage(dir, 10_000);
    const oldest = plantImage(dir, 30_000);
    const middle = plantImage(dir, 20_000);
    const h = open(dir, { images: 2 });
    expect(h.store.has(oldest)).toBe(false);
    expect(files(dir)).toEqual([`${middle}.png`, `${newest}.png`].sort());
    // Start-up evictions happen before anyone listens; the first listener still hears of them.
    expect(h.evicted).toEqual([oldest]);
    expect(await h.store.stats()).toEqual({ count: 2, bytes: 2 * makePng(0).length });
    expect((await h.store.get(middle))?.bytes.equals(makePng(0))).toBe(true);
  });

  it('survives a restart: saved images are served again and keep counting toward the caps', async () => {
    const dir = tempDir();
    const clock = { t: Date.now() };
    const first = open(dir, {}, clock);
    const saved = await saveSequence(first, [100, 200]);
    await first.store.close();

    const second = open(dir, { images: 2 }, clock);
    expect(await second.store.stats()).toEqual({ count: 2, bytes: 300 });
    expect((await second.store.get(saved[1]!.id))?.bytes.equals(Buffer.alloc(200, 2))).toBe(true);
    const [third] = await saveSequence(second, [300]);
    expect(second.evicted).toEqual([saved[0]!.id]);
    expect(files(dir)).toEqual([saved[1]!.key, third!.key]);
  });

  it('deletes stale temp files, keeps fresh ones, and never touches foreign files, folders or symlinks', async () => {
    const root = tempDir();
    const dir = join(root, 'images');
    mkdirSync(dir);
    const secret = join(root, 'secret.txt');
    writeFileSync(secret, 'do not serve');
    const id = newImageId(Date.now(), randomBytes(8));
    const staleTemp = `.${id}.png.4242.abcd1234.tmp`;
    const freshTemp = `.${newImageId(Date.now(), randomBytes(8))}.png.4242.beef0001.tmp`;
    writeFileSync(join(dir, staleTemp), 'partial');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(dir, staleTemp), old, old);
    writeFileSync(join(dir, freshTemp), 'being written');
    const foreign = [
      'notes.txt',
      'ABCDEFGHI-0123456789abcdef.png',
      `${newImageId(Date.now(), randomBytes(8))}.bin`,
      `${newImageId(Date.now(), randomBytes(8))}.png.bak`,
      '.hidden.tmp',
    ];
    for (const name of foreign) writeFileSync(join(dir, name), 'foreign');
    utimesSync(join(dir, '.hidden.tmp'), old, old);
    const folderId = newImageId(Date.now(), randomBytes(8));
    mkdirSync(join(dir, `${folderId}.png`));
    const linkId = newImageId(Date.now(), randomBytes(8));
    symlinkSync(secret, join(dir, `${linkId}.png`));

    const h = open(dir, { images: 1 });
    expect(files(dir)).toEqual([freshTemp, ...foreign, `${folderId}.png`, `${linkId}.png`].sort());
    expect(await h.store.stats()).toEqual({ count: 0, bytes: 0 });
    expect(await h.store.get(linkId)).toBeUndefined();
    expect(await h.store.get(folderId)).toBeUndefined();
    expect(await h.store.delete([linkId, folderId])).toEqual([]);
    await saveSequence(h, [10, 10, 10]);
    expect(existsSync(secret)).toBe(true);
    expect(files(dir)).toContain(`${linkId}.png`);
    expect(files(dir)).toContain('notes.txt');
  });

  it('never reads through a symlink planted over one of its files', async () => {
    const root = tempDir();
    const dir = join(root, 'images');
    const secret = join(root, 'secret.txt');
    writeFileSync(secret, 'do not serve');
    const h = open(dir);
    const [saved] = await saveSequence(h, [64]);
    rmSync(join(dir, saved!.key));
    symlinkSync(secret, join(dir, saved!.key));
    expect(await h.store.get(saved!.id)).toBeUndefined();
    expect(h.evicted).toEqual([saved!.id]);
    expect(await h.store.stats()).toEqual({ count: 0, bytes: 0 });
    expect(readFileSync(secret, 'utf8')).toBe('do not serve');
  });

  it('forgets a file deleted behind its back and reports it, keeping stats exact', async () => {
    const h = open(tempDir());
    const [a, b] = await saveSequence(h, [100, 200]);
    rmSync(join(h.dir, a!.key));
    expect(await h.store.get(a!.id)).toBeUndefined();
    expect(h.evicted).toEqual([a!.id]);
    expect(await h.store.stats()).toEqual({ count: 1, bytes: 200 });
    expect(await h.store.delete([a!.id, b!.id, b!.id])).toEqual([b!.id]);
    expect(await h.store.stats()).toEqual({ count: 0, bytes: 0 });
    expect(files(h.dir)).toEqual([]);
  });

  it('applies lowered caps by the clean-up timer once LOCAL_CLEAN_INTERVAL_SECONDS has passed', async () => {
    const h = open(tempDir(), { intervalMs: 15 });
    const saved = await saveSequence(h, [10, 10, 10, 10], 1);
    h.caps.images = 1;
    // The timer wakes every 15 ms, but by the injected clock only 4 ms have passed since the start.
    await new Promise((r) => setTimeout(r, 80));
    expect((await h.store.stats()).count).toBe(4);
    h.clock.t += 15;
    await vi.waitFor(async () => expect((await h.store.stats()).count).toBe(1), { timeout: 2000 });
    expect(h.evicted).toEqual(saved.slice(0, 3).map((s) => s.id));
    await vi.waitFor(() => expect(files(h.dir)).toEqual([saved[3]!.key]), { timeout: 2000 });
  });

  it('with interval 0 cleans only at start and when a save exceeds a cap; close stops the timer', async () => {
    const h = open(tempDir(), { intervalMs: 0 });
    await saveSequence(h, [10, 10, 10]);
    h.caps.images = 1;
    h.clock.t += 3_600_000;
    await new Promise((r) => setTimeout(r, 60));
    expect((await h.store.stats()).count).toBe(3);
    await saveSequence(h, [10]);
    expect((await h.store.stats()).count).toBe(1);

    const closed = open(tempDir(), { intervalMs: 10 });
    await saveSequence(closed, [10, 10]);
    await closed.store.close();
    closed.caps.images = 1;
    closed.clock.t += 3_600_000;
    await new Promise((r) => setTimeout(r, 60));
    expect((await closed.store.stats()).count).toBe(2);
  });

  it('refuses types the gateway must not serve', async () => {
    const h = open(tempDir());
    await expect(h.store.save({ bytes: Buffer.from('<html>'), mimeType: 'text/html' })).rejects.toThrow(
      /Unsupported image type/,
    );
    expect(files(h.dir)).toEqual([]);
  });

  it('hands start-up evictions to the index through an ImageLibrary', async () => {
    const root = tempDir();
    const dir = join(root, 'images');
    const clock = { t: Date.now() };
    const first = open(dir, {}, clock);
    const index = new ImageIndex({ dir: root });
    const library = new ImageLibrary({ store: first.store, index, now: () => clock.t });
    const a = await library.save(makePng(1), 'image/png', { source: 'chat' });
    clock.t += 1000;
    const b = await library.save(makePng(2), 'image/png', { source: 'chat' });
    await first.store.close();

    const second = new LocalImageStore({
      dir,
      maxImages: () => 1,
      maxBytes: () => 10_000_000,
      cleanIntervalMs: () => 0,
      now: () => clock.t,
    });
    stores.push(second);
    const again = new ImageLibrary({ store: second, index, now: () => clock.t });
    expect(again.list().entries.map((e) => e.id)).toEqual([b.id]);
    expect(index.get(a.id)).toBeUndefined();
  });
});
