/**
 * The gateway-served stores through the API: memory evicts at MEMORY_MAX_IMAGE_NUMBER and
 * MEMORY_MAX_IMAGE_MB (the evicted link 404s and leaves the index, and an old reply's vanished image
 * just becomes the marker) and keeps its images when settings of other storage types change; local
 * storage keeps its count cap on every save and in its periodic clean-up, survives a restart, and
 * `/images/…` never serves anything but a stored image, whatever traversal is tried.
 */
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeminiPart } from '../../main/server/providers/gemini/gemini-types';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';

let fake: FakeGemini;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});

async function draw(gw: TestGateway, prompt: string): Promise<{ url: string; id: string }> {
  const res = await gw.openai.images.generate({ prompt });
  const url = res.data?.[0]?.url ?? '';
  const id = /\/images\/([0-9a-z]{9}-[0-9a-f]{16})\.png$/.exec(url)?.[1];
  if (id === undefined) throw new Error(`not a gateway image URL: ${url}`);
  return { url, id };
}

const statusOf = async (url: string): Promise<number> => (await fetch(url)).status;

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('memory storage', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { imageStorageType: 'memory', memoryMaxImageNumber: 2 },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('the third image evicts the first: its link 404s and it leaves the index', async () => {
    const first = await draw(gw, 'one');
    const second = await draw(gw, 'two');
    // No fetch in between: a read makes an image the most recently used, and the store is an LRU.
    const third = await draw(gw, 'three');

    expect(await statusOf(first.url)).toBe(404);
    expect(await statusOf(second.url)).toBe(200);
    expect(await statusOf(third.url)).toBe(200);
    const library = gw.core.images.library;
    expect(library.get(first.id)).toBeUndefined();
    expect(library.list().entries.map((e) => e.id)).toEqual([third.id, second.id]);
    expect(await library.stats()).toMatchObject({ count: 2 });
  });

  it('a reply whose image was evicted is resent as the marker, not an error', async () => {
    const gone = await draw(gw, 'soon gone');
    await draw(gw, 'newer');
    await draw(gw, 'newest');
    expect(await statusOf(gone.url)).toBe(404);
    fake.reset();
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [
        { role: 'user', content: 'draw' },
        { role: 'assistant', content: `Here: ![image](${gone.url})` },
        { role: 'user', content: 'again' },
      ],
    });
    expect(res.choices[0]!.message.content).toContain('![image](');
    const body = generateCalls(fake)[0]?.body as { contents: { parts: GeminiPart[] }[] };
    expect(body.contents[1]?.parts).toEqual([{ text: 'Here: [image]' }]);
  });
});

describe('memory storage and the settings of other storage types', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { imageStorageType: 'memory' },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('filling in Qiniu, COS or local settings keeps every stored image served and listed', async () => {
    const image = await draw(gw, 'keep me');
    const library = gw.core.images.library;
    gw.settings.update({ qiniuAccessKey: 'new-qiniu-ak', qiniuBucketName: 'bucket' });
    gw.settings.update({ tencentSecretId: 'AKID-new', tencentRegion: 'ap-beijing-1' });
    gw.settings.update({ imageStorageDir: join(tmpdir(), 'gemgate-not-used-while-on-memory') });
    expect(await statusOf(image.url)).toBe(200);
    expect(gw.core.images.library).toBe(library); // the same store: nothing was rebuilt
    expect(library.list().entries.map((e) => e.id)).toEqual([image.id]);
    expect(gw.core.images.status()).toEqual({ storage: 'memory', problem: null });
  });

  it('switching the type still builds the new store', async () => {
    gw.settings.update({ imageStorageType: 'qiniu' });
    expect(gw.core.images.status().storage).toBe('qiniu');
    gw.settings.update({ imageStorageType: 'memory' });
    expect(gw.core.images.status().storage).toBe('memory');
  });
});

describe('memory storage: MEMORY_MAX_IMAGE_MB', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { imageStorageType: 'memory', memoryMaxImageNumber: 1000, memoryMaxImageMb: 1 },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('images beyond the megabytes evict the oldest, whatever the count; a raised cap applies live', async () => {
    const library = gw.core.images.library;
    const save = (fill: number) =>
      library.save(Buffer.alloc(400 * 1024, fill), 'image/png', { source: 'chat' });
    const first = await save(1);
    const second = await save(2);
    const third = await save(3); // 1.2 MB together: the first goes
    expect(await statusOf(`${gw.url}${first.url}`)).toBe(404);
    expect(await statusOf(`${gw.url}${second.url}`)).toBe(200);
    expect(library.list().entries.map((e) => e.id)).toEqual([third.id, second.id]);
    expect(await library.stats()).toEqual({ count: 2, bytes: 800 * 1024 });

    gw.settings.update({ memoryMaxImageMb: 2 });
    await save(4);
    expect(await library.stats()).toEqual({ count: 3, bytes: 1200 * 1024 });
  });
});

describe('local storage', () => {
  let dataDir: string;
  let gw: TestGateway;
  const imageDir = () => join(dataDir, 'images');
  const files = () => readdirSync(imageDir()).filter((f) => f.endsWith('.png'));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gemgate-images-local-'));
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      dataDir,
      settings: { imageStorageType: 'local', localMaxImageNumber: 2, localCleanIntervalSeconds: 1 },
    });
  });
  afterAll(async () => {
    await gw.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the count cap holds on every save: the oldest file goes, with its link and index entry', async () => {
    const first = await draw(gw, 'one');
    const second = await draw(gw, 'two');
    const third = await draw(gw, 'three');
    expect(files().sort()).toEqual([`${second.id}.png`, `${third.id}.png`]);
    expect(await statusOf(first.url)).toBe(404);
    expect(gw.core.images.library.get(first.id)).toBeUndefined();
    const served = await fetch(third.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(makePng(0))).toBe(true);
  });

  it('a lowered cap is applied by the periodic clean-up, without a save', async () => {
    const newest = await draw(gw, 'newest');
    gw.settings.update({ localMaxImageNumber: 1 });
    await waitFor(() => files().length === 1);
    expect(files()).toEqual([`${newest.id}.png`]);
    await waitFor(() => gw.core.images.library.list().total === 1);
    expect(gw.core.images.library.list().entries[0]?.id).toBe(newest.id);
  });

  it('images and the index survive a restart on the same DATA_DIR', async () => {
    const kept = await draw(gw, 'keep me');
    const path = new URL(kept.url).pathname;
    await gw.close();
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      dataDir,
      settings: { imageStorageType: 'local', localMaxImageNumber: 1, localCleanIntervalSeconds: 1 },
    });
    const res = await fetch(`${gw.url}${path}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(makePng(0))).toBe(true);
    expect(gw.core.images.library.get(kept.id)).toMatchObject({ prompt: 'keep me', storage: 'local' });
  });

  /** Raw request: the path goes out byte for byte, as an attacker would send it (fetch would normalise). */
  const rawGet = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(gw.url);
      const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each([
    '/images/../secret.txt',
    '/images/..%2fsecret.txt',
    '/images/..%2f..%2fsecret.txt',
    '/images/%2e%2e%2fsecret.txt',
    '/images/..%252fsecret.txt',
    '/images/..%5csecret.txt',
    '/images/..\\secret.txt',
    '/images/%2fetc%2fpasswd',
    '/images/..%2fimage-index.json',
    '/images/secret.txt',
    '/images/x.png%00.txt',
  ])('GET %s through the gateway → JSON 404, nothing leaked', async (path) => {
    writeFileSync(join(dataDir, 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(imageDir(), 'secret.txt'), 'TOP-SECRET');
    const res = await rawGet(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('TOP-SECRET');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'not_found' } });
  });
});
