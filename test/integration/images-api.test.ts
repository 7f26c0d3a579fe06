/**
 * OpenAI's image endpoints end to end, with the openai SDK as client against the fake Gemini:
 * /v1/images/generations (url and b64_json, n, size → aspect ratio, Imagen via :predict, failover,
 * filtered prompts) and /v1/images/edits (multipart: one or two images, a mask), plus every bad
 * input answering a JSON 4xx without an upstream call.
 */
import { BadRequestError, toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASK_INSTRUCTION } from '../../main/server/images-api/image-upstream';
import { DEFAULT_SAFETY_SETTINGS } from '../../main/server/providers/gemini/convert-request';
import { DEFAULT_FAKE_KEY, makeJpeg, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';

const KEY_2 = 'AIzaFAKE-valid-key-0002';
const b64 = (bytes: Buffer): string => bytes.toString('base64');

let fake: FakeGemini;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeGemini();
  // MAX_BODY_MB at its minimum, so the upload limits can be reached with small buffers.
  gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY], settings: { maxBodyMb: 1 } });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  gw.core.log.clear();
});

const fetchBytes = async (url: string): Promise<Buffer> => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

const predictCalls = () => fake.requests.filter((r) => r.action === 'predict');
const upstreamCalls = () => fake.requests.filter((r) => r.action !== undefined);

async function post(path: string, body: string | FormData, contentType?: string) {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${gw.settings.get().password}`,
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as { error?: { message: string; code: string } } };
}

describe('access', () => {
  it.each(['/v1/images/generations', '/v1/images/edits'])(
    '%s needs the password like every /v1 route',
    async (path) => {
      const res = await fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'x' }),
      });
      expect(res.status).toBe(401);
      expect(upstreamCalls()).toHaveLength(0);
    },
  );
});

describe('POST /v1/images/generations', () => {
  it('url, n=2: one generateContent per image with the mapped aspect ratio, links that serve the PNG', async () => {
    const before = gw.core.images.library.list().total;
    const res = await gw.openai.images.generate({
      model: 'gemini-2.5-flash-image',
      prompt: 'a red fox in the snow',
      n: 2,
      size: '1792x1024',
      quality: 'hd',
      style: 'vivid',
      user: 'someone',
    });

    const calls = generateCalls(fake);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.model).toBe('gemini-2.5-flash-image');
      expect(call.action).toBe('generateContent');
      expect(call.body).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'a red fox in the snow' }] }],
        generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
        safetySettings: DEFAULT_SAFETY_SETTINGS,
      });
    }

    expect(res.data).toHaveLength(2);
    for (const datum of res.data ?? []) {
      expect(datum.url).toMatch(new RegExp(`^${gw.url}/images/[0-9a-z]{9}-[0-9a-f]{16}\\.png$`));
      expect(datum.b64_json).toBeUndefined();
      expect(datum.revised_prompt).toBe('Echo: a red fox in the snow');
      expect((await fetchBytes(datum.url!)).equals(makePng(0))).toBe(true);
    }
    expect(res.created).toBeGreaterThan(0);
    expect(res.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
    expect(res.usage!.output_tokens).toBeGreaterThan(2 * 1000); // two images of 1290 tokens each
    expect(res.usage!.total_tokens).toBe(res.usage!.input_tokens + res.usage!.output_tokens);
    // Required by the OpenAI types (LobeChat reads it unchecked): a text prompt has no image tokens.
    expect(res.usage!.input_tokens_details).toEqual({
      text_tokens: res.usage!.input_tokens,
      image_tokens: 0,
    });

    const gallery = gw.core.images.library.list();
    expect(gallery.total).toBe(before + 2);
    expect(gallery.entries.slice(0, 2)).toEqual([
      expect.objectContaining({
        source: 'images-api',
        model: 'gemini-2.5-flash-image',
        prompt: 'a red fox in the snow',
      }),
      expect.objectContaining({
        source: 'images-api',
        model: 'gemini-2.5-flash-image',
        prompt: 'a red fox in the snow',
      }),
    ]);
  });

  it('b64_json with a raw ratio: the bytes come back and are still saved to the gallery', async () => {
    const before = gw.core.images.library.list().total;
    const res = await gw.openai.images.generate({
      prompt: 'a lighthouse',
      n: 2,
      size: '4:3',
      response_format: 'b64_json',
    });
    const calls = generateCalls(fake);
    expect(calls.map((c) => c.model)).toEqual(['gemini-2.5-flash-image', 'gemini-2.5-flash-image']);
    for (const call of calls) {
      expect(call.body).toMatchObject({ generationConfig: { imageConfig: { aspectRatio: '4:3' } } });
    }
    expect(res.data).toHaveLength(2);
    for (const datum of res.data ?? []) {
      expect(datum.url).toBeUndefined();
      expect(Buffer.from(datum.b64_json!, 'base64').equals(makePng(0))).toBe(true);
    }
    expect(gw.core.images.library.list().total).toBe(before + 2);
  });

  it('size auto sends no imageConfig; images from several parts of one answer are all returned', async () => {
    fake.script(() => ({ kind: 'image', text: 'Two takes.', images: 2 }));
    const res = await gw.openai.images.generate({
      prompt: 'two cats',
      size: 'auto',
      response_format: 'b64_json',
    });
    const [call] = generateCalls(fake);
    expect(call?.body).toMatchObject({ generationConfig: { responseModalities: ['TEXT', 'IMAGE'] } });
    expect((call?.body as { generationConfig: object }).generationConfig).not.toHaveProperty('imageConfig');
    expect(
      res.data?.map((d) => Buffer.from(d.b64_json!, 'base64').equals(makePng(res.data!.indexOf(d)))),
    ).toEqual([true, true]);
    expect(res.data?.map((d) => d.revised_prompt)).toEqual(['Two takes.', 'Two takes.']);
  });

  it('dall-e-3 (NextChat sends nothing else): the default Gemini image model draws, under the name sent', async () => {
    const res = await gw.openai.images.generate({ model: 'dall-e-3', prompt: 'a fox', size: '1792x1024' });
    const [call] = generateCalls(fake);
    expect(generateCalls(fake)).toHaveLength(1);
    expect(call?.model).toBe('gemini-2.5-flash-image');
    expect(call?.body).toMatchObject({ generationConfig: { imageConfig: { aspectRatio: '16:9' } } });
    expect(res.data?.[0]?.url).toMatch(/\/images\//);
  });

  it('code written for gpt-image gets b64_json without asking, as OpenAI answers it', async () => {
    const res = await gw.openai.images.generate({
      model: 'gpt-image-1',
      prompt: 'a fox',
      quality: 'high',
      output_format: 'png',
      background: 'opaque',
    });
    expect(res.data?.[0]?.url).toBeUndefined();
    expect(Buffer.from(res.data?.[0]?.b64_json ?? '', 'base64').equals(makePng(0))).toBe(true);
  });

  it('Gemini 3 Pro Image draws 2K or 4K when the size asks for that many pixels', async () => {
    await gw.openai.images.generate({
      model: 'gemini-3-pro-image-preview',
      prompt: 'a fox',
      size: '2048x2048',
    });
    await gw.openai.images.generate({
      model: 'gemini-3-pro-image-preview',
      prompt: 'a fox',
      size: '1024x1024',
      image_size: '4K',
    } as Parameters<typeof gw.openai.images.generate>[0]);
    expect(generateCalls(fake).map((c) => (c.body as { generationConfig: object }).generationConfig)).toEqual(
      [
        expect.objectContaining({ imageConfig: { aspectRatio: '1:1', imageSize: '2K' } }),
        expect.objectContaining({ imageConfig: { aspectRatio: '1:1', imageSize: '4K' } }),
      ],
    );
  });

  it('Imagen goes through :predict with sampleCount and the nearest Imagen ratio', async () => {
    const res = await gw.openai.images.generate({
      model: 'imagen-4.0-generate-001',
      prompt: 'a mountain lake',
      n: 3,
      size: '1536x1024',
      response_format: 'b64_json',
    });
    expect(generateCalls(fake)).toHaveLength(0);
    const [call] = predictCalls();
    expect(call?.model).toBe('imagen-4.0-generate-001');
    expect(call?.body).toEqual({
      instances: [{ prompt: 'a mountain lake' }],
      parameters: { sampleCount: 3, aspectRatio: '4:3' },
    });
    expect(res.data?.map((d, i) => Buffer.from(d.b64_json!, 'base64').equals(makePng(i)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(res.usage).toBeUndefined();
  });

  it('a rate-limited key fails over to the next one', async () => {
    gw.settings.update({ geminiApiKeys: [KEY_2, DEFAULT_FAKE_KEY] });
    fake.setKey(KEY_2, { quota: {} });
    try {
      const res = await gw.openai.images.generate({ prompt: 'a boat', response_format: 'b64_json' });
      expect(res.data).toHaveLength(1);
      expect(generateCalls(fake).map((c) => c.key)).toEqual([KEY_2, DEFAULT_FAKE_KEY]);
    } finally {
      gw.settings.update({ geminiApiKeys: [DEFAULT_FAKE_KEY] });
    }
  });

  it('a prompt Gemini blocks is a 400 naming the block reason, not a 500', async () => {
    fake.script(() => ({ kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' }));
    const err: unknown = await gw.openai.images
      .generate({ prompt: 'something forbidden' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toMatch(/no image.*PROHIBITED_CONTENT/);
  });

  it('a model that answers only in words is a 400 quoting it', async () => {
    fake.script(() => ({ kind: 'text', text: 'I cannot draw that.' }));
    const err: unknown = await gw.openai.images.generate({ prompt: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain('I cannot draw that.');
  });

  it('when one of n calls fails, the images that exist are returned and the failure logged', async () => {
    let call = 0;
    fake.script(() => (++call === 1 ? { kind: 'error', status: 400 } : undefined));
    const res = await gw.openai.images.generate({ prompt: 'a kite', n: 2, response_format: 'b64_json' });
    expect(res.data).toHaveLength(1);
    expect(gw.core.log.recent().some((e) => e.level === 'warn' && /1 of 2 calls/.test(e.message))).toBe(true);
  });

  it.each([
    [
      'a text model',
      { prompt: 'x', model: 'gemini-2.5-flash' },
      'model',
      /gemini-2\.5-flash.*does not generate images/,
    ],
    ['an unsafe model id', { prompt: 'x', model: '../x' }, 'model', /Invalid model id/],
    ['an unknown size', { prompt: 'x', size: '800x0' }, 'size', /Unsupported size "800x0"/],
    ['n above 10', { prompt: 'x', n: 11 }, 'n', /n/],
    ['n of 0', { prompt: 'x', n: 0 }, 'n', /n/],
    ['Imagen with n above 4', { prompt: 'x', n: 5, model: 'imagen-4.0-generate-001' }, 'n', /at most 4/],
    ['no prompt', { n: 1 }, 'prompt', /prompt is required/],
    ['an empty prompt', { prompt: '  ' }, 'prompt', /must not be empty/],
    ['a bad response_format', { prompt: 'x', response_format: 'png' }, 'response_format', /response_format/],
  ])('%s → 400 with param, no upstream call', async (_label, body, param, message) => {
    const res = await post('/v1/images/generations', JSON.stringify(body), 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(res.json.error?.message).toMatch(message);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('a body that is not JSON is a 400 JSON error', async () => {
    const res = await post('/v1/images/generations', '{"prompt":', 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_json');
  });
});

describe('POST /v1/images/edits (multipart)', () => {
  it('one image: its bytes go before the prompt in one user turn', async () => {
    const res = await gw.openai.images.edit({
      model: 'gemini-2.5-flash-image',
      image: await toFile(makePng(5), 'cat.png', { type: 'image/png' }),
      prompt: 'make it wear a hat',
    });
    const calls = generateCalls(fake);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { inlineData: { mimeType: 'image/png', data: b64(makePng(5)) } },
            { text: 'make it wear a hat' },
          ],
        },
      ],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
      safetySettings: DEFAULT_SAFETY_SETTINGS,
    });
    const url = res.data?.[0]?.url ?? '';
    expect((await fetchBytes(url)).equals(makePng(0))).toBe(true);
    expect(gw.core.images.library.list().entries[0]).toMatchObject({
      source: 'images-api',
      prompt: 'make it wear a hat',
    });
    // The input image's tokens are told apart from the prompt's text, as OpenAI's usage does.
    const details = res.usage!.input_tokens_details;
    expect(details.image_tokens).toBeGreaterThan(0);
    expect(details.text_tokens + details.image_tokens).toBe(res.usage!.input_tokens);
  });

  it('two images (image[]) and a mask: the mask comes last with its instruction; n and size apply', async () => {
    const res = await gw.openai.images.edit({
      image: [
        await toFile(makePng(5), 'a.png', { type: 'image/png' }),
        // Declared wrongly on purpose: the type is read from the bytes.
        await toFile(makeJpeg(6), 'b.png', { type: 'application/octet-stream' }),
      ],
      mask: await toFile(makePng(7), 'mask.png', { type: 'image/png' }),
      prompt: 'put them side by side',
      n: 2,
      size: '1024x1536',
      response_format: 'b64_json',
    });
    const calls = generateCalls(fake);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.body).toMatchObject({
        contents: [
          {
            role: 'user',
            parts: [
              { inlineData: { mimeType: 'image/png', data: b64(makePng(5)) } },
              { inlineData: { mimeType: 'image/jpeg', data: b64(makeJpeg(6)) } },
              { inlineData: { mimeType: 'image/png', data: b64(makePng(7)) } },
              { text: MASK_INSTRUCTION },
              { text: 'put them side by side' },
            ],
          },
        ],
        generationConfig: { imageConfig: { aspectRatio: '2:3' } },
      });
    }
    expect(res.data?.map((d) => Buffer.from(d.b64_json!, 'base64').equals(makePng(0)))).toEqual([true, true]);
  });

  const form = (entries: [string, string | Blob, string?][]): FormData => {
    const data = new FormData();
    for (const [name, value, filename] of entries) {
      if (typeof value === 'string') data.append(name, value);
      else data.append(name, value, filename);
    }
    return data;
  };
  const pngBlob = (bytes: Buffer = makePng(1)) => new Blob([new Uint8Array(bytes)], { type: 'image/png' });

  it.each([
    [
      'a file that is not an image',
      () =>
        form([
          ['image', new Blob(['<svg/>']), 'x.png'],
          ['prompt', 'p'],
        ]),
      /not a PNG, JPEG or WebP/,
    ],
    ['no image', () => form([['prompt', 'p']]), /No image to edit/],
    [
      'image as a text field',
      () =>
        form([
          ['image', 'hello'],
          ['prompt', 'p'],
        ]),
      /must be a file/,
    ],
    [
      'an unexpected file field',
      () =>
        form([
          ['image', pngBlob(), 'a.png'],
          ['photo', pngBlob(), 'b.png'],
          ['prompt', 'p'],
        ]),
      /Unexpected file field "photo"/,
    ],
    ['no prompt', () => form([['image', pngBlob(), 'a.png']]), /prompt is required/],
    [
      'an Imagen model',
      () =>
        form([
          ['image', pngBlob(), 'a.png'],
          ['prompt', 'p'],
          ['model', 'imagen-4.0-generate-001'],
        ]),
      /Imagen models cannot edit/,
    ],
    [
      'a text model',
      () =>
        form([
          ['image', pngBlob(), 'a.png'],
          ['prompt', 'p'],
          ['model', 'gemini-2.5-pro'],
        ]),
      /does not generate images/,
    ],
    [
      'n as words',
      () =>
        form([
          ['image', pngBlob(), 'a.png'],
          ['prompt', 'p'],
          ['n', 'two'],
        ]),
      /'n'/,
    ],
  ])('%s → 400, no upstream call', async (_label, body, message) => {
    const res = await post('/v1/images/edits', body());
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toMatch(message);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('a malformed multipart body is a 400 JSON error', async () => {
    const res = await post(
      '/v1/images/edits',
      '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nunterminated',
      'multipart/form-data; boundary=xyz',
    );
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_request');
    const noBoundary = await post('/v1/images/edits', 'x', 'multipart/form-data');
    expect(noBoundary.status).toBe(400);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('an early refusal still drains the upload: the connection does not stay pinned open', async () => {
    // A gateway of its own: closing its idle connections must not disturb the client's other sockets.
    const own = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { maxBodyMb: 1 },
    });
    try {
      const body = form([
        ['image', 'not a file'], // refused at once, before the large file that follows is read
        ['image[]', pngBlob(Buffer.concat([makePng(1), Buffer.alloc(900 * 1024)])), 'a.png'],
        ['prompt', 'p'],
      ]);
      const res = await fetch(`${own.url}/v1/images/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${own.settings.get().password}` },
        body,
      });
      expect(res.status).toBe(400);
      await res.arrayBuffer();
      // Undrained, the upload would keep its connection busy for good: it would never become idle.
      const server = own.app.server;
      const open = () => new Promise<number>((resolve) => server.getConnections((_err, n) => resolve(n)));
      const deadline = Date.now() + 3000;
      for (;;) {
        server.closeIdleConnections();
        if ((await open()) === 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await open()).toBe(0);
    } finally {
      own.app.server.closeAllConnections(); // a pinned connection would otherwise hold up close()
      await own.close();
    }
  });

  it('a JSON body is a 400 that asks for multipart', async () => {
    const res = await post('/v1/images/edits', JSON.stringify({ prompt: 'x' }), 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.error?.message).toMatch(/multipart\/form-data/);
  });

  it('uploads beyond MAX_BODY_MB — one file, or several together — are a 413', async () => {
    const big = (size: number) => pngBlob(Buffer.concat([makePng(1), Buffer.alloc(size)]));
    const one = await post(
      '/v1/images/edits',
      form([
        ['prompt', 'p'],
        ['image', big(1100 * 1024), 'a.png'],
      ]),
    );
    expect(one.status).toBe(413);
    expect(one.json.error?.code).toBe('request_too_large');
    const two = await post(
      '/v1/images/edits',
      form([
        ['prompt', 'p'],
        ['image[]', big(600 * 1024), 'a.png'],
        ['image[]', big(600 * 1024), 'b.png'],
      ]),
    );
    expect(two.status).toBe(413);
    expect(two.json.error?.message).toMatch(/MAX_BODY_MB/);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('multipart stays confined to the image edits: chat still refuses form data as before', async () => {
    const res = await post('/v1/chat/completions', form([['model', 'gemini-2.5-flash']]));
    expect(res.status).toBe(415);
    const generations = await post('/v1/images/generations', form([['prompt', 'x']]));
    expect(generations.status).toBe(415);
    expect(upstreamCalls()).toHaveLength(0);
  });
});
