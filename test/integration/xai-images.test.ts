/**
 * Grok image models through /xai/v1/chat/completions (issue "xAI relay"), over real sockets with the
 * openai SDK: the last user text goes to xAI's `/v1/images/generations` (n from the request, capped
 * at 10), and the reply — streamed or not — is the revised prompt plus one markdown image per result.
 * XAI_RESPONSE_FORMAT=url keeps xAI's URLs (served by the fake); b64_json stores the images of a
 * pooled-key call through the gateway's image store, serves them under /images/… byte for byte and
 * lists them in the index (a caller's own key gets them inline: xai-own-key.test.ts).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_XAI_IMAGES_ANSWER_BYTES } from '../../main/server/routes/relay/read-answer';
import type { Settings } from '../../shared/settings-schema';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'xai-images-Password-3';
const POOLED = 'xai-FAKE-pooled-image-key-01';

let fake: FakeXai;
let gw: TestGateway;
let xai: OpenAI;
let baseline: Settings;

beforeAll(async () => {
  fake = await startFakeXai({ keys: [FAKE_XAI_KEY, POOLED] });
  gw = await startGateway({
    upstreamUrl: 'http://127.0.0.1:9', // no Gemini call is made here
    keys: [],
    settings: { password: PASSWORD, xaiBaseUrl: fake.url, xaiApiKeys: [POOLED], imageStorageType: 'memory' },
  });
  baseline = gw.settings.get();
  xai = new OpenAI({ apiKey: FAKE_XAI_KEY, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
  gw.app.server.closeAllConnections();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  gw.settings.update(baseline);
});

const MARKDOWN_IMAGE = /!\[image (\d+)\]\(([^)]+)\)/g;
const linksOf = (content: string) => [...content.matchAll(MARKDOWN_IMAGE)].map((m) => m[2]!);

async function bytesAt(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

const imageCalls = () => fake.requests.filter((r) => r.path === '/v1/images/generations');

async function streamedContent(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let content = '';
  let finish: string | null | undefined;
  let usage: unknown;
  for await (const chunk of stream) {
    content += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  return { content, finish, usage };
}

describe('XAI_RESPONSE_FORMAT=url', () => {
  it('non-stream, n=2: the revised prompt, then xAI’s own image URLs; no chat call reaches xAI', async () => {
    const res = await xai.chat.completions.create({
      model: 'grok-2-image-1212',
      n: 2,
      messages: [
        { role: 'user', content: 'draw a dog' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'a red cat on a windowsill' }] },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('grok-2-image-1212');
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]?.finish_reason).toBe('stop');
    const content = res.choices[0]!.message.content!;
    expect(content.startsWith('A vivid rendering of: a red cat on a windowsill\n\n')).toBe(true);
    const links = linksOf(content);
    expect(links).toHaveLength(2);
    for (const [i, link] of links.entries()) {
      expect(link).toMatch(new RegExp(`^${fake.url}/xai-imgen/xai-tmp-imgen-[0-9a-f-]{36}\\.jpeg$`));
      const image = await bytesAt(link);
      expect(image.status).toBe(200);
      expect(image.bytes.equals(fake.generated[i]!)).toBe(true);
    }

    expect(fake.requests.map((r) => r.path)).toEqual([
      '/v1/images/generations',
      ...links.map((l) => new URL(l).pathname),
    ]);
    const call = imageCalls()[0]!;
    expect(call.body).toEqual({
      model: 'grok-2-image-1212',
      prompt: 'a red cat on a windowsill',
      n: 2,
      response_format: 'url',
    });
    expect(call.headers.authorization).toBe(`Bearer ${FAKE_XAI_KEY}`);
    expect(gw.core.images.library.list().total).toBe(0);
  });

  it('stream, grok-imagine-image, n defaults to 1, with the usage chunk when asked for', async () => {
    const stream = await xai.chat.completions.create({
      model: 'grok-imagine-image',
      messages: [{ role: 'user', content: 'a lighthouse' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { content, finish, usage } = await streamedContent(stream);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ total_tokens: 0 });
    expect(content.startsWith('A vivid rendering of: a lighthouse\n\n![image 1](')).toBe(true);
    expect(linksOf(content)).toHaveLength(1);
    expect(imageCalls()[0]?.body).toMatchObject({
      model: 'grok-imagine-image',
      n: 1,
      response_format: 'url',
    });
  });

  it('n is capped at 10; any model named *image* takes this path; the password uses a pooled key', async () => {
    const sdk = new OpenAI({ apiKey: PASSWORD, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
    const res = await sdk.chat.completions.create({
      model: 'grok-2-image',
      n: 25,
      messages: [{ role: 'user', content: 'many birds' }],
    });
    expect(linksOf(res.choices[0]!.message.content!)).toHaveLength(10);
    expect(imageCalls()[0]?.body).toMatchObject({ model: 'grok-2-image', n: 10 });
    expect(imageCalls()[0]?.key).toBe(POOLED);
  });
});

describe('XAI_RESPONSE_FORMAT=b64_json: stored through the image store (pooled keys)', () => {
  beforeEach(() => gw.settings.update({ xaiResponseFormat: 'b64_json' }));
  // Only calls on the owner's pooled keys are stored; an own key gets them inline (xai-own-key.test.ts).
  const pooled = () => new OpenAI({ apiKey: PASSWORD, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });

  const checkStored = async (links: string[], prompt: string, model: string) => {
    const generated = fake.generated.slice(-links.length);
    for (const [i, link] of links.entries()) {
      expect(link.startsWith(`${gw.url}/images/`)).toBe(true);
      const image = await bytesAt(link);
      expect(image.status).toBe(200);
      expect(image.type).toBe('image/jpeg');
      expect(image.bytes.equals(generated[i]!)).toBe(true);
      const id = new URL(link).pathname.replace(/^\/images\//, '').replace(/\.jpg$/, '');
      expect(gw.core.images.library.get(id)).toMatchObject({
        source: 'xai',
        model,
        prompt,
        mimeType: 'image/jpeg',
      });
    }
  };

  it('non-stream, n=2: both images stored, indexed and served byte-identical', async () => {
    const before = gw.core.images.library.list().total;
    const res = await pooled().chat.completions.create({
      model: 'grok-2-image-1212',
      n: 2,
      messages: [{ role: 'user', content: 'two moons' }],
    });
    const content = res.choices[0]!.message.content!;
    expect(content.startsWith('A vivid rendering of: two moons\n\n')).toBe(true);
    const links = linksOf(content);
    expect(links).toHaveLength(2);
    await checkStored(links, 'two moons', 'grok-2-image-1212');
    expect(gw.core.images.library.list().total).toBe(before + 2);
    expect(imageCalls()[0]?.body).toMatchObject({ response_format: 'b64_json' });
  });

  it('stream, with xAI sending a data: URL prefix (stripped)', async () => {
    fake.useDataUrlPrefix(true);
    const stream = await pooled().chat.completions.create({
      model: 'grok-2-image-1212',
      messages: [{ role: 'user', content: 'a prefixed fox' }],
      stream: true,
    });
    const { content, finish } = await streamedContent(stream);
    expect(finish).toBe('stop');
    const links = linksOf(content);
    expect(links).toHaveLength(1);
    await checkStored(links, 'a prefixed fox', 'grok-2-image-1212');
    const [latest] = gw.core.images.library.list({ limit: 1 }).entries;
    expect(latest).toMatchObject({ source: 'xai', prompt: 'a prefixed fox' });
  });
});

describe('errors', () => {
  it('an xAI error on the image call passes through with its status and body (stream or not)', async () => {
    const body = { code: 'Some resource has been exhausted', error: 'Image quota used up' };
    fake.script((r) =>
      r.path === '/v1/images/generations' ? { kind: 'error', status: 429, body } : undefined,
    );
    for (const stream of [false, true]) {
      const res = await fetch(`${gw.url}/xai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'grok-2-image-1212',
          messages: [{ role: 'user', content: 'x' }],
          stream,
        }),
      });
      expect(res.status).toBe(429);
      expect(await res.text()).toBe(JSON.stringify(body));
    }
  });

  it('an error after keep-alives went out ends the stream with an error event', async () => {
    gw.settings.update({ streamKeepaliveSeconds: 0.05 });
    fake.script((r) =>
      r.path === '/v1/images/generations'
        ? {
            kind: 'error',
            status: 503,
            body: { code: 'The service is currently unavailable', error: 'Imagine is overloaded' },
            delayMs: 300,
          }
        : undefined,
    );
    const res = await fetch(`${gw.url}/xai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'grok-2-image-1212',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    const events = text.split('\n\n').filter((b) => b.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events.at(-2)!.slice(6))).toMatchObject({
      error: { message: 'Imagine is overloaded', type: 'server_error' },
    });
  });

  it('an images answer over the size cap → 502 (upstream_bad_response); xAI’s connection dropped', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.script((r) =>
      r.path === '/v1/images/generations'
        ? {
            kind: 'raw',
            headers: {
              'content-type': 'application/json',
              'content-length': String(MAX_XAI_IMAGES_ANSWER_BYTES + 1),
            },
            // The rest is held back: only the gateway dropping the call ends this answer.
            chunks: ['{"data":[', ']}'],
            before: (i) => (i === 0 ? Promise.resolve() : gate),
          }
        : undefined,
    );
    try {
      const res = await fetch(`${gw.url}/xai/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'grok-2-image-1212', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({
        error: {
          type: 'server_error',
          code: 'upstream_bad_response',
          message: expect.stringContaining('64 MB'),
        },
      });
      await fake.waitFor((r) => r.aborted, 2000);
    } finally {
      release();
    }
  });

  it('no user text to draw → the gateway’s own 400; xAI is not called', async () => {
    const res = await fetch(`${gw.url}/xai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FAKE_XAI_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'grok-2-image-1212',
        messages: [{ role: 'system', content: 'be nice' }],
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'messages' } });
    expect(fake.requests).toHaveLength(0);
  });
});
