/**
 * @google/genai with apiVersion 'v1' — the default of the 3.x SDK (platform-notes §9) — sees the
 * same Gemini as on /v1beta: POST /v1/models/{model}:{action} is relayed natively (Google's
 * credentials, Google-shaped errors), forwarded upstream as /v1beta like the rest of the native
 * relay. GET /v1/models and /v1/models/{id} answer Google's list and model to Google's credential
 * alone (the SDK's models.list()/get()), and stay OpenAI's for a Bearer key or none.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';

const POOL = ['AIzaFAKE-native-v1-pool-key-01', 'AIzaFAKE-native-v1-pool-key-02'];
const PASSWORD = 'native-v1-gateway-password-4b1e';
const CALL = '/v1/models/gemini-2.5-flash:generateContent';

let fake: FakeGemini;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: Object.fromEntries(POOL.map((k) => [k, 'valid'])) });
  gw = await startGateway({ upstreamUrl: fake.url, keys: POOL, settings: { password: PASSWORD } });
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
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl, apiVersion: 'v1' } });

const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello v1' }] }] });

const post = async (path: string, headers: Record<string, string>) => {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe.each([
  { name: '/v1', base: () => gw.url },
  { name: '/gemini/v1', base: () => `${gw.url}/gemini` },
])("@google/genai with apiVersion 'v1' ($name)", ({ base }) => {
  it('generateContent, its stream and countTokens work on pooled keys, relayed to /v1beta', async () => {
    const ai = sdk(PASSWORD, base());
    const answer = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi there' });
    expect(answer.text).toBe('Echo: Hi there');

    let streamed = '';
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Stream' });
    for await (const chunk of stream) streamed += chunk.text ?? '';
    expect(streamed).toBe('Echo: Stream');

    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'Hi there' });
    expect(counted.totalTokens).toBe(answer.usageMetadata?.promptTokenCount);

    // The SDK did call /v1 (its 2.x default is v1beta): the gateway logged that path.
    const logged = gw.core.log.recent().map((e) => e.request?.path);
    expect(logged).toContain(
      `${new URL(base()).pathname.replace(/\/$/, '')}/v1/models/gemini-2.5-flash:generateContent`,
    );
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/v1beta/models/gemini-2.5-flash:generateContent',
      '/v1beta/models/gemini-2.0-flash:streamGenerateContent',
      '/v1beta/models/gemini-2.5-flash:countTokens',
    ]);
    for (const r of fake.requests) {
      expect(POOL).toContain(r.key);
      expect(JSON.stringify(r.headers)).not.toContain(PASSWORD);
    }
  });

  it('models.list() and models.get() answer in Google’s shape', async () => {
    const ai = sdk(PASSWORD, base());
    const names: string[] = [];
    for await (const model of await ai.models.list({ config: { pageSize: 3 } })) names.push(model.name ?? '');
    expect(names).toContain('models/gemini-2.5-flash');
    expect(new Set(names).size).toBe(names.length);
    const one = await ai.models.get({ model: 'gemini-2.5-flash' });
    expect(one.name).toBe('models/gemini-2.5-flash');
    expect(one.outputTokenLimit).toBeGreaterThan(0);

    const missing = await ai.models.get({ model: 'no-such-model' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(404);
  });

  it('a wrong key is refused in Google’s shape, and Google is not called', async () => {
    const err = await sdk('not-the-password', base())
      .models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('POST /v1/models/{model}:{action}, raw', () => {
  it('takes x-goog-api-key or ?key=, and answers Google’s JSON', async () => {
    const byHeader = await post(CALL, { 'x-goog-api-key': PASSWORD });
    expect(byHeader.status).toBe(200);
    expect(byHeader.json).toHaveProperty('candidates');
    const byQuery = await post(`${CALL}?key=${encodeURIComponent(PASSWORD)}`, {});
    expect(byQuery.status).toBe(200);
    expect(fake.requests.map((r) => r.query)).toEqual([{}, {}]); // the caller's key never travels
  });

  it('without a key: Google’s 401 naming Google’s ways to send one', async () => {
    const res = await post(CALL, {});
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: {
        code: 401,
        status: 'UNAUTHENTICATED',
        message: 'Missing API key. Send the gateway password or an access key in x-goog-api-key or ?key=.',
      },
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('an unknown method is Google’s 404', async () => {
    const res = await post('/v1/models/gemini-2.5-flash:fooBar', { 'x-goog-api-key': PASSWORD });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });
});

describe('OpenAI’s /v1/models for OpenAI clients', () => {
  it('lists and gets models with a Bearer key, refuses in OpenAI’s shape', async () => {
    const openai = new OpenAI({ apiKey: PASSWORD, baseURL: `${gw.url}/v1` });
    const list = await openai.models.list();
    expect(list.data.map((m) => m.id)).toContain('gemini-2.5-flash');
    const one = await openai.models.retrieve('gemini-2.5-flash');
    expect(one).toMatchObject({ id: 'gemini-2.5-flash', object: 'model' });

    const noKey = await fetch(`${gw.url}/v1/models`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key' },
    });
  });

  it('a Bearer key wins: sent beside x-goog-api-key, the answer is still OpenAI’s', async () => {
    const res = await fetch(`${gw.url}/v1/models`, {
      headers: { authorization: `Bearer ${PASSWORD}`, 'x-goog-api-key': PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'list' });
  });

  it('a wrong Google key on GET /v1/models is refused in Google’s shape', async () => {
    const res = await fetch(`${gw.url}/v1/models?key=wrong`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });
});
