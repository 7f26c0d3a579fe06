/**
 * Gemini-native clients through the gateway (issue part 2): the official @google/genai SDK pointed
 * at /v1beta (and /gemini/v1beta), authenticated with the gateway password or an access key, sees a
 * working Gemini — generateContent, streams arriving chunk by chunk, countTokens, embeddings, the
 * model list — while Google (the fake) only ever sees pooled keys.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskKey } from '../../main/server/keys/mask-key';
import type { RequestLogFields } from '../../main/server/logging/log-bus';
import {
  embeddingVector,
  makePng,
  startFakeGemini,
  type FakeGemini,
  type RecordedRequest,
} from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';

const POOL = ['AIzaFAKE-native-pool-key-01', 'AIzaFAKE-native-pool-key-02'];
const PASSWORD = 'native-gateway-password-7f3a';
const CATALOGUE = (
  JSON.parse(readFileSync(new URL('../fixtures/gemini-models.json', import.meta.url), 'utf8')) as {
    models: { name: string }[];
  }
).models.map((m) => m.name);

let fake: FakeGemini;
let gw: TestGateway;
let accessKey: string;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: Object.fromEntries(POOL.map((k) => [k, 'valid'])) });
  gw = await startGateway({ upstreamUrl: fake.url, keys: POOL, settings: { password: PASSWORD } });
  accessKey = gw.core.accessKeys.create({ name: 'native-client' }).key;
});
afterAll(async () => {
  await fake.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  gw.core.log.clear();
});

const sdk = (apiKey: string, baseUrl = gw.url) =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl, apiVersion: 'v1beta' } });

/** Google saw pooled keys only: never the caller's credential, in no header, query or path. */
function expectOnlyPooledKeys(requests: RecordedRequest[], callerSecret: string): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(POOL).toContain(r.key);
    expect(r.headers['x-goog-api-key']).toBe(r.key);
    expect(r.headers['authorization']).toBeUndefined();
    expect(r.query['key']).toBeUndefined();
    expect(JSON.stringify({ headers: r.headers, query: r.query, path: r.path })).not.toContain(callerSecret);
  }
}

async function requestLog(path: string): Promise<RequestLogFields> {
  for (let i = 0; i < 100; i++) {
    const entry = gw.core.log.recent().find((e) => e.request?.path === path);
    if (entry?.request) return entry.request;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request log entry for ${path}`);
}

const cases = [
  { name: 'password, /v1beta', secret: () => PASSWORD, base: () => gw.url },
  { name: 'access key, /v1beta', secret: () => accessKey, base: () => gw.url },
  { name: 'password, /gemini/v1beta', secret: () => PASSWORD, base: () => `${gw.url}/gemini` },
];

describe.each(cases)('@google/genai through the gateway ($name)', ({ secret, base }) => {
  it('generateContent, generateContentStream, countTokens and embedContent work on pooled keys', async () => {
    const ai = sdk(secret(), base());
    const answer = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Why is the sky blue?',
    });
    expect(answer.text).toBe('Echo: Why is the sky blue?');
    expect(answer.usageMetadata?.thoughtsTokenCount).toBeGreaterThan(0);

    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.0-flash',
      contents: 'Stream me',
    });
    let streamed = '';
    let finish: string | undefined;
    for await (const chunk of stream) {
      streamed += chunk.text ?? '';
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    expect(streamed).toBe('Echo: Stream me');
    expect(finish).toBe('STOP');

    const counted = await ai.models.countTokens({
      model: 'gemini-2.5-flash',
      contents: 'Why is the sky blue?',
    });
    expect(counted.totalTokens).toBe(answer.usageMetadata?.promptTokenCount);

    const embedded = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['first text', 'second text'],
      config: { outputDimensionality: 64 },
    });
    expect(embedded.embeddings?.map((e) => e.values)).toEqual([
      embeddingVector('first text', 3072).slice(0, 64),
      embeddingVector('second text', 3072).slice(0, 64),
    ]);

    expect(fake.requests.map((r) => r.action)).toEqual([
      'generateContent',
      'streamGenerateContent',
      'countTokens',
      'batchEmbedContents',
    ]);
    expect(fake.requests[1]!.query).toEqual({ alt: 'sse' });
    expectOnlyPooledKeys(fake.requests, secret());
  });

  it('Imagen :predict (Open WebUI, SillyTavern) works on pooled keys', async () => {
    // @google/genai's generateImages is Vertex-only; the clients that use it call :predict directly.
    const res = await fetch(`${base()}/v1beta/models/imagen-4.0-generate-001:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': secret() },
      body: JSON.stringify({
        instances: [{ prompt: 'a lighthouse at dusk' }],
        parameters: { sampleCount: 2 },
      }),
    });
    expect(res.status).toBe(200);
    const drawn = (await res.json()) as { predictions: { bytesBase64Encoded: string }[] };
    expect(drawn.predictions.map((p) => p.bytesBase64Encoded)).toEqual([
      makePng(0).toString('base64'),
      makePng(1).toString('base64'),
    ]);
    expect(fake.requests.map((r) => `${r.model}:${r.action}`)).toEqual(['imagen-4.0-generate-001:predict']);
    expect(fake.requests[0]!.body).toEqual({
      instances: [{ prompt: 'a lighthouse at dusk' }],
      parameters: { sampleCount: 2 },
    });
    expectOnlyPooledKeys(fake.requests, secret());
  });
});

describe('streams are relayed chunk by chunk', () => {
  it('each event reaches the SDK when Gemini sends it, not at the end', async () => {
    fake.script(() => ({ kind: 'slow', delayMs: 150, text: 'one two three four', chunks: 4 }));
    const started = Date.now();
    const stream = await sdk(PASSWORD).models.generateContentStream({
      model: 'gemini-2.0-flash',
      contents: 'slowly',
    });
    const arrivals: number[] = [];
    let text = '';
    for await (const chunk of stream) {
      arrivals.push(Date.now() - started);
      text += chunk.text ?? '';
    }
    expect(text).toBe('one two three four');
    expect(arrivals).toHaveLength(4);
    // Four events 150 ms apart: the first arrived long before the last (a buffering relay would
    // deliver them all together, after ~450 ms).
    expect(arrivals[0]!).toBeLessThan(300);
    expect(arrivals[3]! - arrivals[0]!).toBeGreaterThanOrEqual(350);
  });
});

describe('one log entry and the key counters per native call', () => {
  it('a stream is logged with its model, masked key and the usage of its last event', async () => {
    const stream = await sdk(PASSWORD).models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'count my tokens',
    });
    let usage;
    for await (const chunk of stream) usage = chunk.usageMetadata ?? usage;
    const path = '/v1beta/models/gemini-2.5-flash:streamGenerateContent';
    const entry = await requestLog(path);
    const key = fake.requests[0]!.key!;
    expect(entry).toMatchObject({
      status: 200,
      model: 'gemini-2.5-flash',
      stream: true,
      key: maskKey(key),
      promptTokens: usage?.promptTokenCount,
      completionTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      reasoningTokens: usage?.thoughtsTokenCount,
    });
    expect(gw.core.log.recent().filter((e) => e.request?.path === path)).toHaveLength(1);
    const health = gw.core.keys.health().find((h) => h.masked === maskKey(key));
    expect(health?.promptTokens).toBeGreaterThanOrEqual(usage?.promptTokenCount ?? 1);
  });
});

describe('models', () => {
  it('the SDK pages through the whole catalogue; get() returns one model', async () => {
    const ai = sdk(PASSWORD);
    const pager = await ai.models.list({ config: { pageSize: 5 } });
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toEqual(CATALOGUE);
    const one = await ai.models.get({ model: 'gemini-2.5-flash' });
    expect(one.name).toBe('models/gemini-2.5-flash');
    expect(one.displayName).toBe('Gemini 2.5 Flash');
  });

  it('pageSize/pageToken behave as Gemini’s: default 50, nextPageToken omitted on the last page', async () => {
    const get = async (query: string) => {
      const res = await fetch(`${gw.url}/v1beta/models${query}`, { headers: { 'x-goog-api-key': PASSWORD } });
      return {
        status: res.status,
        body: (await res.json()) as { models?: { name: string }[]; nextPageToken?: string; error?: unknown },
      };
    };
    const all = await get('');
    expect(all.body.models?.map((m) => m.name)).toEqual(CATALOGUE);
    expect(all.body).not.toHaveProperty('nextPageToken');

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await get(`?pageSize=4${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.models!.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.models!.map((m) => m.name));
      token = page.body.nextPageToken;
      pages++;
    } while (token);
    expect(seen).toEqual(CATALOGUE);
    expect(pages).toBe(Math.ceil(CATALOGUE.length / 4));

    const bad = await get('?pageToken=not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const negative = await get('?pageSize=-1');
    expect(negative.status).toBe(400);
  });

  it('an unlisted model is asked of Google; its 404 comes back as Google wrote it', async () => {
    const err = await sdk(PASSWORD)
      .models.get({ model: 'gemini-9-ultra' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(404);
    const upstream = fake.requests.find((r) => r.path === '/v1beta/models/gemini-9-ultra');
    expect(upstream?.method).toBe('GET');
    expectOnlyPooledKeys([upstream!], PASSWORD);
  });
});

describe('image outputs of native calls stay native', () => {
  it('inlineData parts come back as Gemini sent them (no links, no markdown)', async () => {
    fake.script(() => ({ kind: 'image', text: 'A red square.', images: 1 }));
    const answer = await sdk(PASSWORD).models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'draw a red square',
      config: { responseModalities: ['TEXT', 'IMAGE'] },
    });
    const parts = answer.candidates?.[0]?.content?.parts ?? [];
    const image = parts.find((p) => p.inlineData)?.inlineData;
    expect(image?.mimeType).toBe('image/png');
    expect(
      Buffer.from(image?.data ?? '', 'base64')
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    expect(parts.find((p) => p.text)?.text).toBe('A red square.');
  });
});
