/**
 * Imagen models picked in a chat (/v1/models lists them): POST /v1/chat/completions with `imagen-*`
 * draws the last user message with one `:predict` call (never generateContent, which Imagen does not
 * serve) and answers a chat completion — whole or streamed — with one markdown image per result,
 * also in `message.images` / `delta.images`. The images are saved as chat images and their links
 * serve the bytes Imagen sent. Nothing drawn, a refused request, no user text: a 400 in OpenAI's shape.
 * With the openai SDK against the fake Gemini.
 */
import { BadRequestError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../main/server/keys/key-pool';
import type { OutImage } from '../../main/server/openai/chat-response';
import { DEFAULT_FAKE_KEY, makePng, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';
import { chunksOf, postChat, waitForRequestLog } from '../support/openai-sse';

const MODEL = 'imagen-4.0-generate-001';
const KEY_2 = 'AIzaFAKE-valid-key-0002';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started));
beforeEach(() => gw.core.log.clear());

const predictCalls = () => fake.requests.filter((r) => r.action === 'predict');
const upstreamCalls = () => fake.requests.filter((r) => r.action !== undefined);

const MARKDOWN_IMAGE = /!\[image (\d+)\]\(([^)]+)\)/g;
const markdownImages = (text: string) =>
  [...text.matchAll(MARKDOWN_IMAGE)].map((m) => ({ n: Number(m[1]), url: m[2]! }));
const imagesOf = (message: object): OutImage[] => (message as { images?: OutImage[] }).images ?? [];
const linkPattern = (origin: string) => new RegExp(`^${origin}/images/[0-9a-z]{9}-[0-9a-f]{16}\\.png$`);

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  return Buffer.from(await res.arrayBuffer());
}

/** OpenRouter's `image_config`, which the SDK's types do not know. */
type WithImageConfig<T> = T & { image_config?: { aspect_ratio?: string } };

const conversation: ChatCompletionCreateParamsNonStreaming['messages'] = [
  { role: 'system', content: 'You are a painter.' },
  { role: 'user', content: 'draw a cat' },
  { role: 'assistant', content: 'Here is a cat.' },
  { role: 'user', content: [{ type: 'text', text: 'a mountain lake at dawn' }] },
];

const chatError = (params: object): Promise<unknown> =>
  gw.openai.chat.completions
    .create({ model: MODEL, ...params } as ChatCompletionCreateParamsNonStreaming)
    .catch((e: unknown) => e);

describe('chat with an Imagen model', () => {
  it('non-stream, n=2, 3:2: one :predict (4:3), two linked images in content and message.images, saved, logged', async () => {
    const before = gw.core.images.library.list().total;
    const params: WithImageConfig<ChatCompletionCreateParamsNonStreaming> = {
      model: MODEL,
      messages: conversation,
      n: 2,
      image_config: { aspect_ratio: '3:2' },
    };
    const res = await gw.openai.chat.completions.create(params);

    expect(generateCalls(fake)).toHaveLength(0);
    expect(predictCalls()).toHaveLength(1);
    const [call] = predictCalls();
    expect(call?.model).toBe(MODEL);
    expect(call?.body).toEqual({
      instances: [{ prompt: 'a mountain lake at dawn' }],
      parameters: { sampleCount: 2, aspectRatio: '4:3' },
    });

    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe(MODEL);
    expect(res.choices).toHaveLength(1);
    const [choice] = res.choices;
    expect(choice?.finish_reason).toBe('stop');
    const message = choice!.message;
    expect(message.role).toBe('assistant');
    const images = markdownImages(message.content ?? '');
    expect(images.map((i) => i.n)).toEqual([1, 2]);
    for (const { url } of images) expect(url).toMatch(linkPattern(gw.url));
    expect(imagesOf(message)).toEqual(images.map(({ url }) => ({ type: 'image_url', image_url: { url } })));
    const bytes = await Promise.all(images.map(({ url }) => fetchBytes(url)));
    expect(bytes.map((b, i) => b.equals(makePng(i)))).toEqual([true, true]);

    const library = gw.core.images.library.list();
    expect(library.total).toBe(before + 2);
    for (const entry of library.entries.slice(0, 2)) {
      expect(entry).toMatchObject({ source: 'chat', model: MODEL, prompt: 'a mountain lake at dawn' });
    }

    const logged = (await waitForRequestLog(gw, (f) => f.path === '/v1/chat/completions')) as {
      status: number;
      model?: string;
      key?: string;
    };
    expect(logged).toMatchObject({ status: 200, model: MODEL });
    expect(logged.key).toBeDefined();
    const report = gw.core.usage.report('24h', gw.core.now(), {
      keyMasked: (id) => id,
      accessKeyName: (id) => id,
    });
    expect(report.byModel.find((row) => row.model === MODEL)?.requests).toBeGreaterThanOrEqual(1);
    expect(report.byKey.map((row) => row.keyId)).toContain(keyIdOf(DEFAULT_FAKE_KEY));
  });

  it('stream: role, the images as content and delta.images, finish stop, a usage chunk', async () => {
    const params: WithImageConfig<ChatCompletionCreateParamsStreaming> = {
      model: MODEL,
      messages: [{ role: 'user', content: 'a red fox in the snow' }],
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
      image_config: { aspect_ratio: '9:16' },
    };
    const stream = await gw.openai.chat.completions.create(params);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(generateCalls(fake)).toHaveLength(0);
    expect(predictCalls().map((c) => c.body)).toEqual([
      {
        instances: [{ prompt: 'a red fox in the snow' }],
        parameters: { sampleCount: 2, aspectRatio: '9:16' },
      },
    ]);

    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === MODEL)).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const images = markdownImages(content);
    expect(images).toHaveLength(2);
    const deltaImages = chunks.flatMap((c) => (c.choices[0] ? imagesOf(c.choices[0].delta) : []));
    expect(deltaImages).toEqual(images.map(({ url }) => ({ type: 'image_url', image_url: { url } })));
    const finishes = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean);
    expect(finishes).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    const bytes = await Promise.all(images.map(({ url }) => fetchBytes(url)));
    expect(bytes.map((b, i) => b.equals(makePng(i)))).toEqual([true, true]);
  });

  it('stream on the wire: an event stream that ends with data: [DONE]', async () => {
    const reply = await postChat(gw, {
      model: MODEL,
      messages: [{ role: 'user', content: 'a lighthouse' }],
      stream: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const chunks = chunksOf(reply.text);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, 'stop']);
    expect(markdownImages(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''))).toHaveLength(1);
    expect(predictCalls().map((c) => c.body)).toEqual([
      { instances: [{ prompt: 'a lighthouse' }], parameters: { sampleCount: 1 } },
    ]);
  });

  it('links are built on HOST_URL when it is set', async () => {
    gw.settings.update({ hostUrl: 'https://img.example.com' });
    try {
      const res = await gw.openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'a tree' }],
      });
      const [image] = markdownImages(res.choices[0]?.message.content ?? '');
      expect(image?.url).toMatch(linkPattern('https://img\\.example\\.com'));
      expect((await fetchBytes(`${gw.url}${new URL(image!.url).pathname}`)).equals(makePng(0))).toBe(true);
    } finally {
      gw.settings.update({ hostUrl: '' });
    }
  });

  it('a thinking suffix or a models/ prefix still draws with the Imagen model', async () => {
    await gw.openai.chat.completions.create({
      model: `models/${MODEL}-nothinking`,
      messages: [{ role: 'user', content: 'a boat' }],
    });
    expect(generateCalls(fake)).toHaveLength(0);
    expect(predictCalls().map((c) => c.model)).toEqual([MODEL]);
  });

  it('a rate-limited key fails over to the next one', async () => {
    gw.settings.update({ geminiApiKeys: [KEY_2, DEFAULT_FAKE_KEY] });
    fake.setKey(KEY_2, { quota: {} });
    try {
      const res = await gw.openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'a kite' }],
      });
      expect(markdownImages(res.choices[0]?.message.content ?? '')).toHaveLength(1);
      expect(predictCalls().map((c) => c.key)).toEqual([KEY_2, DEFAULT_FAKE_KEY]);
    } finally {
      gw.settings.update({ geminiApiKeys: [DEFAULT_FAKE_KEY] });
    }
  });
});

describe('chat with an Imagen model: errors', () => {
  it('every image filtered (with a reason) is a 400 naming it', async () => {
    fake.script(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ predictions: [{ raiFilteredReason: 'FILTERED_FOR_SAFETY' }] }),
    }));
    const err = await chatError({ messages: [{ role: 'user', content: 'something forbidden' }] });
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toMatch(/no image.*FILTERED_FOR_SAFETY/);
    expect(predictCalls()).toHaveLength(1);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('every image filtered silently is a 400, streamed or not, as JSON in OpenAI shape', async () => {
    fake.script(() => ({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }));
    const err = await chatError({ messages: [{ role: 'user', content: 'something forbidden' }] });
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toMatch(/no image.*filtered/);

    const reply = await postChat(gw, {
      model: MODEL,
      messages: [{ role: 'user', content: 'something forbidden' }],
      stream: true,
    });
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.text) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/no image/);
  });

  it("Imagen's own 400 is a 400", async () => {
    fake.script(() => ({ kind: 'error', status: 400 }));
    const err = await chatError({ messages: [{ role: 'user', content: 'x' }] });
    expect(err).toBeInstanceOf(BadRequestError);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it.each([
    ['no user message', [{ role: 'system', content: 'draw' }]],
    [
      'a last user message without text',
      [
        { role: 'user', content: 'a cat' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      ],
    ],
    ['a blank user message', [{ role: 'user', content: '   ' }]],
  ])('%s is a 400 on messages without any upstream call', async (_name, messages) => {
    const err = await chatError({ messages });
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).param).toBe('messages');
    expect((err as BadRequestError).message).toMatch(/last user message/);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('n above 4 is a 400 on n without any upstream call', async () => {
    const err = await chatError({ messages: [{ role: 'user', content: 'x' }], n: 5 });
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).param).toBe('n');
    expect((err as BadRequestError).message).toMatch(/at most 4/);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('an aspect ratio that is not one is a 400 without any upstream call', async () => {
    const err = await chatError({
      messages: [{ role: 'user', content: 'x' }],
      image_config: { aspect_ratio: 'wide' },
    });
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).param).toBe('image_config.aspect_ratio');
    expect(upstreamCalls()).toHaveLength(0);
  });
});
