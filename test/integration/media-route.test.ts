/**
 * GET/HEAD /images/<id>.<ext> over real sockets: bytes and headers, ETag/304, and a JSON 404 for
 * every hostile or unknown name — requests sent byte for byte, so encoded and double-encoded
 * traversal, backslashes, NULs and absolute paths reach the server as an attacker would send them.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageIndex } from '../../main/server/images/image-index';
import { ImageLibrary } from '../../main/server/images/image-library';
import {
  newImageId,
  type ImageStore,
  type SavedImage,
  type StoredImageData,
} from '../../main/server/images/image-store';
import { LocalImageStore } from '../../main/server/images/local-store';
import { makeJpeg, makePng } from '../fakes/fake-gemini';
import { startMediaApp, type MediaApp, type RawResponse } from '../contract/media-app';

let root: string;
let library: ImageLibrary;
let current: () => ImageLibrary;
let server: MediaApp;
let png: SavedImage;
let jpeg: SavedImage;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gemgate-media-route-'));
  const dir = join(root, 'data', 'images');
  mkdirSync(dir, { recursive: true });
  // Files an attacker would love to read: outside the image folder, and next to it.
  writeFileSync(join(root, 'passwd'), 'root:x:0:0');
  writeFileSync(join(root, 'data', 'image-index.json.bak'), 'secret');
  const store = new LocalImageStore({
    dir,
    maxImages: () => 100,
    maxBytes: () => 10_000_000,
    cleanIntervalMs: () => 0,
    now: Date.now,
  });
  library = new ImageLibrary({ store, index: new ImageIndex({ dir: join(root, 'data') }), now: Date.now });
  current = () => library;
  server = await startMediaApp(() => current());
  png = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
  jpeg = await store.save({ bytes: makeJpeg(2), mimeType: 'image/jpeg' });
});

afterAll(async () => {
  await server.close();
  await library.close();
  rmSync(root, { recursive: true, force: true });
});

const expectJson404 = (res: RawResponse) => {
  expect(res.status).toBe(404);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(res.body.toString('utf8'))).toEqual({
    error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'not_found' },
  });
  expect(res.body.toString('utf8')).not.toContain('root:x');
};

describe('GET /images/<id>.<ext>', () => {
  it('serves the bytes with type, length, immutable caching, an ETag and nosniff', async () => {
    const res = await server.raw(png.url);
    expect(res.status).toBe(200);
    expect(res.body.equals(makePng(1))).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(makePng(1).length),
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${png.id}"`,
      'x-content-type-options': 'nosniff',
    });
    const j = await server.raw(`${jpeg.url}?v=1`);
    expect(j.status).toBe(200);
    expect(j.headers['content-type']).toBe('image/jpeg');
    expect(j.body.equals(makeJpeg(2))).toBe(true);
  });

  it('answers HEAD with the same headers and no body', async () => {
    const res = await server.raw(png.url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe(String(makePng(1).length));
    expect(res.headers.etag).toBe(`"${png.id}"`);
  });

  it.each([
    [(id: string) => `"${id}"`],
    [(id: string) => `W/"${id}"`],
    [(id: string) => `"other", "${id}"`],
    [() => '*'],
  ])('answers 304 without a body when If-None-Match matches (%#)', async (header) => {
    const res = await server.raw(png.url, { headers: { 'if-none-match': header(png.id) } });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(`"${png.id}"`);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 200 when If-None-Match names another image', async () => {
    const res = await server.raw(png.url, { headers: { 'if-none-match': `"${jpeg.id}"` } });
    expect(res.status).toBe(200);
    expect(res.body.equals(makePng(1))).toBe(true);
  });

  it('needs no credentials and ignores any that are sent', async () => {
    const res = await server.raw(png.url, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(200);
  });
});

describe('everything else under /images/ is a JSON 404', () => {
  const unknownId = () => newImageId(Date.now(), randomBytes(8));
  const hostile: [string, () => string][] = [
    ['encoded traversal', () => '/images/..%2f..%2f..%2fpasswd'],
    ['encoded traversal to etc/passwd', () => '/images/..%2f..%2fetc%2fpasswd'],
    ['double-encoded traversal', () => '/images/..%252f..%252f..%252fpasswd'],
    ['encoded dots', () => '/images/%2e%2e%2f%2e%2e%2fpasswd'],
    ['double-encoded dots', () => '/images/%252e%252e%252fpasswd'],
    ['raw traversal', () => '/images/../../passwd'],
    ['raw backslashes', () => '/images/..\\..\\passwd'],
    ['encoded backslashes', () => '/images/..%5c..%5cpasswd'],
    ['encoded absolute path', () => '/images/%2fetc%2fpasswd'],
    ['absolute path', () => '/images//etc/passwd'],
    ['windows absolute path', () => '/images/C:%5cWindows%5cwin.ini'],
    ['a sibling file', () => '/images/..%2fimage-index.json.bak'],
    ['NUL before the extension', () => `/images/${png.id}%00.png`],
    ['NUL after the extension', () => `/images/${png.id}.png%00.jpg`],
    ['a valid name with a traversal suffix', () => `/images/${png.id}.png%2f..%2f..%2fpasswd`],
    ['a second segment', () => `/images/${png.id}.png/x`],
    ['a trailing slash', () => `${png.url}/`],
    ['the wrong extension', () => `/images/${png.id}.jpg`],
    ['an upper-case extension', () => `/images/${png.id}.PNG`],
    ['an unknown extension', () => `/images/${png.id}.svg`],
    ['no extension', () => `/images/${png.id}`],
    ['a doubled extension', () => `/images/${png.id}.png.png`],
    ['an upper-case id', () => `/images/${png.id.toUpperCase()}.png`],
    ['a well-formed unknown id', () => `/images/${unknownId()}.png`],
    ['an empty name', () => '/images/'],
    ['a long name', () => `/images/${'a'.repeat(600)}.png`],
  ];

  it.each(hostile)('%s', async (_label, path) => {
    expectJson404(await server.raw(path()));
  });

  it('has at least ten hostile names, and the real image next to them is served', async () => {
    expect(hostile.length).toBeGreaterThanOrEqual(10);
    expect((await server.raw(png.url)).status).toBe(200);
  });

  it('does not serve the ids of a store the gateway does not serve (cloud)', async () => {
    const cloud: ImageStore = {
      kind: 'tencent',
      capabilities: { servedByGateway: false, persistent: true, evicts: false },
      problem: () => undefined,
      save: async () => {
        throw new Error('unused');
      },
      // A cloud store can read its objects, but the gateway must not become their proxy.
      get: async (): Promise<StoredImageData> => ({ bytes: makePng(1), mimeType: 'image/png' }),
      delete: async () => [],
      stats: async () => ({ count: 1, bytes: 1 }),
      onEvict: () => {},
      close: async () => {},
    };
    const cloudLibrary = new ImageLibrary({
      store: cloud,
      index: new ImageIndex({ dir: join(root, 'cloud') }),
      now: Date.now,
    });
    current = () => cloudLibrary;
    try {
      expectJson404(await server.raw(png.url));
    } finally {
      current = () => library;
    }
  });
});
