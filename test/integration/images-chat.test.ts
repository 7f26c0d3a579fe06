/**
 * Images drawn in chat (issue "Images" §1–2), with the openai SDK against the fake Gemini: an image
 * model's inlineData is saved once through the image store and linked as markdown in `content` and
 * in `message.images` / `delta.images` — in the order Gemini produced it — and the link serves the
 * very bytes Gemini sent. `modalities: ["image"]` and `image_config` reach Gemini on any model.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutImage } from '../../main/server/openai/chat-response';
import type { GeminiGenerateContentRequest } from '../../main/server/providers/gemini/gemini-types';
import { loadDefaultModels } from '../fakes/fake-gemini/catalogue';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls, onlyGenerateBody } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';

/** A model that draws but whose id says nothing about it: only `modalities` can ask it for images. */
const PLAIN_MODEL = 'gemini-sketch-1';

let fake: FakeGemini;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeGemini({
    models: [
      ...loadDefaultModels(),
      {
        name: `models/${PLAIN_MODEL}`,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
        capabilities: { thinkingKind: 'none', maxCandidates: 1, imageOutput: true },
      },
    ],
  });
  gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const MARKDOWN_IMAGE = /!\[image\]\(([^)]+)\)/g;
const markdownUrls = (text: string): string[] => [...text.matchAll(MARKDOWN_IMAGE)].map((m) => m[1]!);

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  return Buffer.from(await res.arrayBuffer());
}

const imagesOf = (message: object): OutImage[] => (message as { images?: OutImage[] }).images ?? [];

describe('chat with an image model', () => {
  it('non-stream: markdown link in content, message.images, the PNG byte for byte, a gallery entry', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw a cat' }],
    });
    expect(onlyGenerateBody(fake).generationConfig?.responseModalities).toEqual(['TEXT', 'IMAGE']);

    const message = res.choices[0]!.message;
    const content = message.content ?? '';
    expect(content.startsWith('Echo: draw a cat')).toBe(true);
    const urls = markdownUrls(content);
    expect(urls).toHaveLength(1);
    const url = urls[0]!;
    expect(url).toMatch(new RegExp(`^${gw.url}/images/[0-9a-z]{9}-[0-9a-f]{16}\\.png$`));
    expect(imagesOf(message)).toEqual([{ type: 'image_url', image_url: { url } }]);
    expect((await fetchBytes(url)).equals(makePng(0))).toBe(true);

    const [entry] = gw.core.images.library.list().entries;
    expect(entry).toMatchObject({
      source: 'chat',
      model: 'gemini-2.5-flash-image',
      prompt: 'draw a cat',
      mimeType: 'image/png',
      bytes: makePng(0).length,
    });
    expect(url.endsWith(entry!.url)).toBe(true);
  });

  it('stream: each image is its own delta, after the text that preceded it, in Gemini order', async () => {
    fake.script(() => ({ kind: 'image', text: 'Two cats:', images: 2 }));
    const before = gw.core.images.library.list().total;
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw two cats' }],
      stream: true,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    const deltas = chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
    const content = deltas.map((d) => d.content ?? '').join('');
    const urls = markdownUrls(content);
    expect(urls).toHaveLength(2);
    expect(content.indexOf('Two cats:')).toBeLessThan(content.indexOf(urls[0]!));

    const imageDeltas = deltas.filter((d) => imagesOf(d).length > 0);
    expect(imageDeltas).toHaveLength(2);
    imageDeltas.forEach((delta, i) => {
      // The image's own delta carries its markdown and nothing else.
      expect(imagesOf(delta)).toEqual([{ type: 'image_url', image_url: { url: urls[i] } }]);
      expect(delta.content?.trim()).toBe(`![image](${urls[i]})`);
    });
    expect((await fetchBytes(urls[0]!)).equals(makePng(0))).toBe(true);
    expect((await fetchBytes(urls[1]!)).equals(makePng(1))).toBe(true);

    const gallery = gw.core.images.library.list();
    expect(gallery.total).toBe(before + 2);
    for (const entry of gallery.entries.slice(0, 2)) {
      expect(entry).toMatchObject({
        model: 'gemini-2.5-flash-image',
        prompt: 'draw two cats',
        source: 'chat',
      });
    }
  });
});

describe('asking any model for images', () => {
  it('modalities: ["image"] sends responseModalities TEXT+IMAGE to a model not known to draw', async () => {
    await gw.openai.chat.completions.create({
      model: PLAIN_MODEL,
      messages: [{ role: 'user', content: 'just talk' }],
    });
    expect(onlyGenerateBody(fake).generationConfig?.responseModalities).toBeUndefined();
    fake.reset();

    const res = await gw.openai.chat.completions.create({
      model: PLAIN_MODEL,
      messages: [{ role: 'user', content: 'draw a dog' }],
      modalities: ['image' as 'text'],
    });
    expect(onlyGenerateBody(fake).generationConfig?.responseModalities).toEqual(['TEXT', 'IMAGE']);
    const [url] = markdownUrls(res.choices[0]!.message.content ?? '');
    expect((await fetchBytes(url!)).equals(makePng(0))).toBe(true);
  });

  it('image_config (top level, or extra_body.google) becomes generationConfig.imageConfig', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'a wide landscape' }],
      // @ts-expect-error OpenRouter's field, unknown to the openai SDK's types
      image_config: { aspect_ratio: '16:9', image_size: '2k' },
    });
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'a tall tower' }],
      // @ts-expect-error Google's extras, unknown to the openai SDK's types
      extra_body: { google: { image_config: { aspect_ratio: '9:16' } } },
    });
    const configs = generateCalls(fake).map(
      (c) => (c.body as GeminiGenerateContentRequest).generationConfig?.imageConfig,
    );
    expect(configs).toEqual([{ aspectRatio: '16:9', imageSize: '2K' }, { aspectRatio: '9:16' }]);
  });
});
