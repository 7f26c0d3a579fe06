/**
 * Editing by conversation with a cloud store (issue "Images" §3): the previous reply's markdown image,
 * one of ours on Qiniu or Tencent COS, goes back to Gemini as inlineData read from the store through
 * the image index — not fetched from its public URL like a foreign image.
 *
 * COS reads with a signed getObject from the API endpoint, while links name a separate public domain
 * (a CDN on loopback here). REMOTE_FETCH_ALLOWED_HOSTS lets the SSRF-guarded fetcher reach loopback,
 * so a fetch of the public URL would be seen as a hit on that domain: there must be none.
 *
 * Qiniu reads objects back from its bucket domain, which is also the public URL (qiniu-store.ts), so
 * there the store's read is one GET of the link. REMOTE_FETCH_ALLOWED_HOSTS stays empty: the guard
 * refuses loopback without connecting, so the bytes reaching Gemini can only have come from the store.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GeminiPart } from '../../main/server/providers/gemini/gemini-types';
import { cosSettings, startFakeCos, TEST_COS, type FakeCos } from '../fakes/fake-cos';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { qiniuSettings, startFakeQiniu, TEST_QINIU, type FakeQiniu } from '../fakes/fake-qiniu';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { startImageServer, type ImageServer } from '../support/image-server';
import { guardNetwork } from '../unit/images/cloud-network-guard';

guardNetwork();

const DRAWN = makePng(0).toString('base64');

let fake: FakeGemini;
beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

/** Turn 1: a drawing stored in the cloud; returns the history up to the reply and the link. */
async function firstTurn(gw: TestGateway): Promise<{ history: ChatCompletionMessageParam[]; url: string }> {
  const user: ChatCompletionMessageParam = { role: 'user', content: 'draw a cat' };
  const res = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash-image', messages: [user] });
  const content = res.choices[0]!.message.content ?? '';
  const url = /!\[image\]\(([^)]+)\)/.exec(content)?.[1] ?? '';
  expect(gw.core.images.library.findByUrl(url)?.storage).toBe(gw.core.images.status().storage);
  fake.reset();
  return { history: [user, { role: 'assistant', content }], url };
}

/** Turn 2: "make it wear a hat"; returns the inlineData parts Gemini received, with their role. */
async function secondTurn(gw: TestGateway, history: ChatCompletionMessageParam[]) {
  await gw.openai.chat.completions.create({
    model: 'gemini-2.5-flash-image',
    messages: [...history, { role: 'user', content: 'make it wear a hat' }],
  });
  const body = generateCalls(fake).at(-1)?.body as { contents: { role?: string; parts: GeminiPart[] }[] };
  return body.contents.flatMap((c) =>
    c.parts.flatMap((p) => (p.inlineData ? [{ role: c.role, data: p.inlineData.data }] : [])),
  );
}

describe('Tencent COS', () => {
  let cos: FakeCos;
  let cdn: ImageServer;
  let gw: TestGateway;
  beforeAll(async () => {
    cos = await startFakeCos(TEST_COS);
    cdn = await startImageServer({});
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: {
        ...cosSettings(cos),
        tencentDomain: cdn.url,
        remoteFetchAllowedHosts: ['127.0.0.1'],
        historyImageSubmitType: 'last',
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await cos.close();
    await cdn.close();
  });

  it('the previous reply’s image goes back as inlineData from a signed read, its public URL untouched', async () => {
    const { history, url } = await firstTurn(gw);
    const key = new URL(url).pathname;
    expect(url).toBe(`${cdn.url}${key}`);
    cos.requests.length = 0;

    expect(await secondTurn(gw, history)).toEqual([{ role: 'model', data: DRAWN }]);
    expect(cdn.hits).toEqual([]);
    // The edited picture is uploaded as a new object; the only read is the store's.
    const reads = cos.requests.filter((r) => r.method === 'GET');
    expect(reads).toEqual([expect.objectContaining({ url: key, signed: true, status: 200 })]);
  });
});

describe('Qiniu', () => {
  let qiniu: FakeQiniu;
  let gw: TestGateway;
  beforeAll(async () => {
    qiniu = await startFakeQiniu(TEST_QINIU);
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: {
        ...qiniuSettings(qiniu),
        historyImageSubmitType: 'last',
      },
    });
    expect(gw.settings.get().remoteFetchAllowedHosts).toEqual([]);
  });
  afterAll(async () => {
    await gw.close();
    await qiniu.close();
  });

  it('the previous reply’s image goes back as inlineData, read once by the store', async () => {
    const { history, url } = await firstTurn(gw);
    const key = new URL(url).pathname;
    expect(url).toBe(`${qiniu.url}${key}`);
    qiniu.requests.length = 0;

    expect(await secondTurn(gw, history)).toEqual([{ role: 'model', data: DRAWN }]);
    const reads = qiniu.requests.filter((r) => r.method === 'GET');
    expect(reads).toEqual([expect.objectContaining({ url: key, status: 200 })]);
  });
});
