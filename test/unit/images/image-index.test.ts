/**
 * The image index: durable across restarts (snapshot + journal), bounded, paged newest first, and
 * able to recognise our own image URLs on any host.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ImageIndex,
  PROMPT_EXCERPT_LENGTH,
  promptExcerpt,
  type ImageIndexEntry,
} from '../../../main/server/images/image-index';
import { newImageId } from '../../../main/server/images/image-store';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'gemgate-image-index-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_700_000_000_000;
const idAt = (n: number): string =>
  newImageId(T0 + n * 1000, Buffer.from(n.toString(16).padStart(16, '0'), 'hex'));

function localEntry(n: number, extra: Partial<ImageIndexEntry> = {}): ImageIndexEntry {
  const id = idAt(n);
  return {
    id,
    url: `/images/${id}.png`,
    storage: 'local',
    key: `${id}.png`,
    mimeType: 'image/png',
    bytes: 100 + n,
    source: 'chat',
    createdAt: T0 + n * 1000,
    ...extra,
  };
}

function cloudEntry(n: number): ImageIndexEntry {
  const id = idAt(n);
  return {
    ...localEntry(n),
    url: `https://img.example.com/gemgate/${id}.jpg`,
    storage: 'qiniu',
    key: `gemgate/${id}.jpg`,
    mimeType: 'image/jpeg',
  };
}

describe('ImageIndex', () => {
  it('records entries and finds them by id', () => {
    const index = new ImageIndex({ dir: tempDir() });
    const stored = index.add(localEntry(1, { model: 'gemini-2.5-flash-image', prompt: 'a red fox' }));
    expect(stored).toEqual(localEntry(1, { model: 'gemini-2.5-flash-image', prompt: 'a red fox' }));
    expect(index.get(idAt(1))).toEqual(stored);
    expect(index.get(idAt(2))).toBeUndefined();
  });

  it('survives a restart: a new index on the same folder sees adds and removes (journal and snapshot)', () => {
    const dir = tempDir();
    const first = new ImageIndex({ dir });
    for (let n = 1; n <= 5; n++) first.add(localEntry(n, { prompt: `prompt ${n}` }));
    first.remove([idAt(2)]);
    // No flush: acknowledged changes are in the journal already.
    const second = new ImageIndex({ dir });
    expect(second.list().entries.map((e) => e.id)).toEqual([5, 4, 3, 1].map(idAt));
    expect(second.get(idAt(3))?.prompt).toBe('prompt 3');
    second.add(localEntry(6));
    second.flush();
    const third = new ImageIndex({ dir });
    expect(third.stats()).toEqual({ count: 5, bytes: 101 + 103 + 104 + 105 + 106 });
    expect(JSON.parse(readFileSync(join(dir, 'image-index.json'), 'utf8')).state.entries).toHaveLength(5);
  });

  it('ignores a torn journal line and drops damaged snapshot records alone', () => {
    const dir = tempDir();
    const index = new ImageIndex({ dir });
    index.add(localEntry(1));
    appendFileSync(join(dir, 'image-index.journal'), '{"seq":99,"op":{"op":"add","entry":{"id":"../x"');
    expect(new ImageIndex({ dir }).list().entries.map((e) => e.id)).toEqual([idAt(1)]);

    const snapshot = {
      seq: 0,
      state: { entries: [localEntry(2), { id: '../../etc/passwd' }, localEntry(3)] },
    };
    const other = tempDir();
    writeFileSync(join(other, 'image-index.json'), JSON.stringify(snapshot));
    expect(new ImageIndex({ dir: other }).list().entries.map((e) => e.id)).toEqual([idAt(3), idAt(2)]);
  });

  it('is bounded: beyond maxEntries the oldest entries leave the index, also after a restart', () => {
    const dir = tempDir();
    const index = new ImageIndex({ dir, maxEntries: 3 });
    for (let n = 1; n <= 5; n++) index.add(localEntry(n));
    expect(index.list().entries.map((e) => e.id)).toEqual([5, 4, 3].map(idAt));
    expect(index.get(idAt(1))).toBeUndefined();
    expect(index.findByUrl(localEntry(1).url)).toBeUndefined();
    expect(index.stats()).toEqual({ count: 3, bytes: 103 + 104 + 105 });
    expect(new ImageIndex({ dir, maxEntries: 3 }).list().total).toBe(3);
    expect(new ImageIndex({ dir, maxEntries: 2 }).list().entries.map((e) => e.id)).toEqual([5, 4].map(idAt));
  });

  it('defaults to 10,000 entries', () => {
    const index = new ImageIndex({ dir: tempDir(), compactEvery: 100_000 });
    for (let n = 1; n <= 10_001; n++) index.add(localEntry(n));
    expect(index.list().total).toBe(10_000);
    expect(index.get(idAt(1))).toBeUndefined();
    expect(index.get(idAt(2))).toBeDefined();
  });

  it('pages newest first with the total', () => {
    const index = new ImageIndex({ dir: tempDir() });
    for (let n = 1; n <= 7; n++) index.add(localEntry(n));
    expect(index.list({ offset: 0, limit: 3 })).toEqual({
      total: 7,
      entries: [7, 6, 5].map((n) => localEntry(n)),
    });
    expect(index.list({ offset: 3, limit: 3 }).entries.map((e) => e.id)).toEqual([4, 3, 2].map(idAt));
    expect(index.list({ offset: 6, limit: 3 }).entries.map((e) => e.id)).toEqual([idAt(1)]);
    expect(index.list({ offset: 10, limit: 3 })).toEqual({ total: 7, entries: [] });
    expect(index.list({ offset: -5, limit: 1 }).entries.map((e) => e.id)).toEqual([idAt(7)]);
  });

  it('finds entries by exact url, and gateway images by the /images/ path of an absolute url on any host', () => {
    const index = new ImageIndex({ dir: tempDir() });
    const local = index.add(localEntry(1));
    const cloud = index.add(cloudEntry(2));
    expect(index.findByUrl(local.url)).toEqual(local);
    expect(index.findByUrl(cloud.url)).toEqual(cloud);
    expect(index.findByUrl(`http://127.0.0.1:7860${local.url}`)).toEqual(local);
    expect(index.findByUrl(`https://gemgate.example.org${local.url}?download=1#x`)).toEqual(local);
    // Not ours, or not served by the gateway:
    expect(index.findByUrl(`https://img.example.com/images/${cloud.id}.jpg`)).toBeUndefined();
    expect(index.findByUrl(`https://evil.example/other${local.url}`)).toBeUndefined();
    expect(index.findByUrl(`http://127.0.0.1/images/${local.id}.jpg`)).toBeUndefined();
    expect(index.findByUrl(`ftp://127.0.0.1${local.url}`)).toBeUndefined();
    expect(index.findByUrl(`/images/${idAt(9)}.png`)).toBeUndefined();
    expect(index.findByUrl('not a url')).toBeUndefined();
  });

  it('removes entries, reporting only those it held, and keeps stats exact', () => {
    const dir = tempDir();
    const index = new ImageIndex({ dir });
    for (let n = 1; n <= 3; n++) index.add(localEntry(n));
    index.add(cloudEntry(4));
    expect(index.remove([idAt(1), idAt(1), idAt(9), '../x'])).toEqual([idAt(1)]);
    expect(index.findByUrl(localEntry(1).url)).toBeUndefined();
    expect(index.stats()).toEqual({ count: 3, bytes: 102 + 103 + 104 });
    expect(index.stats('qiniu')).toEqual({ count: 1, bytes: 104 });
    expect(index.idsOf('local')).toEqual([idAt(2), idAt(3)]);
    expect(index.remove([])).toEqual([]);
  });

  it('keeps a prompt excerpt of at most 200 characters, whitespace collapsed, never splitting a character', () => {
    const index = new ImageIndex({ dir: tempDir() });
    const long = `  A   cat\n\n${'🐱'.repeat(150)}`;
    const stored = index.add(localEntry(1, { prompt: long }));
    expect(stored.prompt!.length).toBeLessThanOrEqual(PROMPT_EXCERPT_LENGTH);
    expect(stored.prompt!.startsWith('A cat 🐱')).toBe(true);
    expect(stored.prompt!.endsWith('🐱…')).toBe(true);
    expect(promptExcerpt('short')).toBe('short');
    expect(promptExcerpt('x'.repeat(200))).toBe('x'.repeat(200));
    expect(promptExcerpt('x'.repeat(201))).toBe(`${'x'.repeat(199)}…`);
  });

  it('refuses an entry that is not one, and stores only the known fields', () => {
    const index = new ImageIndex({ dir: tempDir() });
    expect(() => index.add({ ...localEntry(1), id: '../../etc/passwd' })).toThrow(TypeError);
    const stored = index.add({ ...localEntry(2), secret: 'x' } as ImageIndexEntry);
    expect(stored).not.toHaveProperty('secret');
  });
});
