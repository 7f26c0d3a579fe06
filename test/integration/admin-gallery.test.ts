/**
 * The gallery over the HTTP admin with the images of image chats (fake Gemini image model): newest
 * first with absolute links on the request's origin (or HOST_URL), paging, storage info, deletion
 * that removes the image itself, and the local store's folder.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { errorOf, signIn, type AdminClient } from './admin-http-client';

const ADMIN = 'Admin-Password-1';

let fake: FakeGemini;
let gw: TestGateway;
let client: AdminClient;

beforeAll(async () => {
  fake = await startFakeGemini();
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    settings: { adminPassword: ADMIN },
  });
  client = await signIn(gw.url, ADMIN);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const draw = async (prompt: string) => {
  const res = await gw.openai.chat.completions.create({
    model: 'gemini-2.5-flash-image',
    messages: [{ role: 'user', content: prompt }],
  });
  return res.choices[0]!.message.content ?? '';
};

const status = async (url: string) => {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
};

describe('gallery', () => {
  it('lists the images of image chats, newest first, with absolute links that serve them', async () => {
    await draw('a cat');
    await draw('a dog');
    const page = await client.admin.listImages({});
    expect(page.total).toBe(2);
    expect(page.entries.map((e) => e.prompt)).toEqual(['a dog', 'a cat']);
    for (const entry of page.entries) {
      expect(entry).toMatchObject({
        storage: 'memory',
        mimeType: 'image/png',
        bytes: makePng(0).length,
        model: 'gemini-2.5-flash-image',
        source: 'chat',
      });
      expect(entry.url).toBe(`${gw.url}/images/${entry.id}.png`);
      expect(Object.keys(entry)).not.toContain('key');
      expect(await status(entry.url)).toBe(200);
    }

    const second = await client.admin.listImages({ offset: 1, limit: 1 });
    expect(second).toEqual({ total: 2, entries: [page.entries[1]] });
  });

  it('HOST_URL, when set, is the origin of the links', async () => {
    await client.admin.updateSettings({ hostUrl: 'https://gemgate.example/' });
    try {
      const page = await client.admin.listImages({ limit: 1 });
      expect(page.entries[0]!.url).toMatch(/^https:\/\/gemgate\.example\/images\/[0-9a-z-]+\.png$/);
    } finally {
      await client.admin.resetSettings(['hostUrl']);
    }
  });

  it('an invalid page → 400 naming the field', async () => {
    const reply = await client.raw('GET', '/admin/api/images?limit=0');
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('limit');
  });

  it('imageStorage: the store, its count and bytes, no problem, no folder for memory', async () => {
    expect(await client.admin.imageStorage()).toEqual({
      storage: 'memory',
      count: 2,
      bytes: 2 * makePng(0).length,
      problem: null,
      folder: null,
    });
  });

  it('deleteImages removes the images themselves; unknown ids are not reported deleted', async () => {
    const [newest, oldest] = (await client.admin.listImages({})).entries;
    const result = await client.admin.deleteImages([newest!.id, 'zzzzzzzzz-0000000000000000']);
    expect(result).toEqual({ deleted: [newest!.id] });
    expect(await status(newest!.url)).toBe(404);
    expect(await status(oldest!.url)).toBe(200);
    expect(await client.admin.listImages({})).toMatchObject({ total: 1, entries: [{ id: oldest!.id }] });
    expect((await client.admin.imageStorage()).count).toBe(1);
    const bad = await client.raw('POST', '/admin/api/images/delete', { ids: [42] });
    expect(bad.status).toBe(400);
  });

  it('local storage reports its folder; a misconfigured cloud store reports its problem', async () => {
    await client.admin.updateSettings({ imageStorageType: 'local' });
    try {
      const local = await client.admin.imageStorage();
      expect(local).toMatchObject({ storage: 'local', problem: null, folder: join(gw.dataDir, 'images') });
      await client.admin.updateSettings({ imageStorageType: 'qiniu' });
      const cloud = await client.admin.imageStorage();
      expect(cloud).toMatchObject({ storage: 'qiniu', folder: null });
      expect(cloud.problem).toBeTruthy();
      expect((await client.admin.getStatus()).warnings).toContain('storage_misconfigured');
    } finally {
      await client.admin.resetSettings(['imageStorageType']);
    }
  });
});
