/**
 * A store that cannot take an image never costs the image (issue "Images" §4–5): with Qiniu or COS
 * refusing uploads, chat replies and /v1/images/generations still carry it, inline as a `data:` URL
 * (or `b64_json`), and a warning is logged. A misconfigured store (Qiniu without keys) is named on
 * /health and images are inlined from the start. Cloud fakes on loopback; nothing else is reached.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutImage } from '../../main/server/openai/chat-response';
import { cosSettings, startFakeCos, TEST_COS, type FakeCos } from '../fakes/fake-cos';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { qiniuSettings, startFakeQiniu, TEST_QINIU, type FakeQiniu } from '../fakes/fake-qiniu';
import { startGateway, type TestGateway } from '../support/gateway';
import { guardNetwork } from '../unit/images/cloud-network-guard';

guardNetwork();

const DATA_URL = `data:image/png;base64,${makePng(0).toString('base64')}`;

let fake: FakeGemini;
beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});

const storeWarnings = (gw: TestGateway) =>
  gw.core.log
    .recent()
    .filter((e) => e.level === 'warn' && /Could not store a generated image/.test(e.message));

const imagesOf = (message: object): OutImage[] => (message as { images?: OutImage[] }).images ?? [];

describe('Qiniu refusing uploads', () => {
  let qiniu: FakeQiniu;
  let gw: TestGateway;
  beforeAll(async () => {
    qiniu = await startFakeQiniu(TEST_QINIU);
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: {
        ...qiniuSettings(qiniu),
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await qiniu.close();
  });
  beforeEach(() => {
    qiniu.failUploads = undefined;
    gw.core.log.clear();
  });

  it('while uploads work, the reply links the bucket domain and the bytes are there', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw a cat' }],
    });
    const url = imagesOf(res.choices[0]!.message)[0]?.image_url.url ?? '';
    expect(url.startsWith(`${qiniu.url}/`)).toBe(true);
    const stored = [...qiniu.objects.values()].at(-1);
    expect(stored?.bytes.equals(makePng(0))).toBe(true);
    expect(gw.core.images.library.list().entries[0]).toMatchObject({ storage: 'qiniu', url });
  });

  it('chat: the image comes back as a data URL in content and message.images, with a warning', async () => {
    qiniu.failUploads = { status: 503, error: 'service unavailable' };
    const before = gw.core.images.library.list().total;
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw a cat' }],
    });
    const message = res.choices[0]!.message;
    expect(message.content).toContain(`![image](${DATA_URL})`);
    expect(imagesOf(message)).toEqual([{ type: 'image_url', image_url: { url: DATA_URL } }]);
    expect(storeWarnings(gw)).toHaveLength(1);
    expect(gw.core.images.library.list().total).toBe(before);
  });

  it('chat stream: the same inline image in its own delta', async () => {
    qiniu.failUploads = 'drop';
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw a cat' }],
      stream: true,
    });
    const deltas = [];
    for await (const chunk of stream) deltas.push(...chunk.choices.map((c) => c.delta));
    expect(deltas.flatMap((d) => imagesOf(d))).toEqual([{ type: 'image_url', image_url: { url: DATA_URL } }]);
    expect(deltas.map((d) => d.content ?? '').join('')).toContain(`![image](${DATA_URL})`);
    expect(storeWarnings(gw)).toHaveLength(1);
  });

  it('generations with url: a data URL instead of a link; b64_json: the bytes, both with a warning', async () => {
    qiniu.failUploads = { status: 500, error: 'internal error' };
    const asUrl = await gw.openai.images.generate({ prompt: 'a cat', n: 2 });
    expect(asUrl.data?.map((d) => d.url)).toEqual([DATA_URL, DATA_URL]);
    const asB64 = await gw.openai.images.generate({ prompt: 'a cat', response_format: 'b64_json' });
    expect(Buffer.from(asB64.data?.[0]?.b64_json ?? '', 'base64').equals(makePng(0))).toBe(true);
    expect(storeWarnings(gw)).toHaveLength(3);
  });
});

describe('COS refusing uploads', () => {
  let cos: FakeCos;
  let gw: TestGateway;
  beforeAll(async () => {
    cos = await startFakeCos(TEST_COS);
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: {
        ...cosSettings(cos),
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await cos.close();
  });

  it('generations with url still return the image, as a data URL, with a warning', async () => {
    cos.failUploads = { status: 403, code: 'AccessDenied' };
    const res = await gw.openai.images.generate({ prompt: 'a cat' });
    expect(res.data?.map((d) => d.url)).toEqual([DATA_URL]);
    expect(storeWarnings(gw)).toHaveLength(1);
    expect(cos.objects.size).toBe(0);
  });
});

describe('Qiniu without credentials', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { imageStorageType: 'qiniu' },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('/health names the missing variables, without any secret', async () => {
    const health = (await (await fetch(`${gw.url}/health`)).json()) as {
      images: { storage: string; problem: string | null };
    };
    expect(health.images.storage).toBe('qiniu');
    for (const name of ['QINIU_ACCESS_KEY', 'QINIU_SECRET_KEY', 'QINIU_BUCKET_NAME', 'QINIU_BUCKET_DOMAIN'])
      expect(health.images.problem).toContain(name);
  });

  it('chat still answers with the image inline', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw a cat' }],
    });
    expect(res.choices[0]!.message.content).toContain(`![image](${DATA_URL})`);
    expect(imagesOf(res.choices[0]!.message)).toEqual([{ type: 'image_url', image_url: { url: DATA_URL } }]);
  });
});
