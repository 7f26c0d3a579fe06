/**
 * GET /v1/models and /v1/models/{id} over the fake's catalogue: every upstream model (all pages),
 * `models/` stripped, thinking variants exactly for the models that think, EXTRA_MODELS appended,
 * the list cached for MODELS_CACHE_SECONDS, and the last good list kept when a refresh fails.
 */
import { readFileSync } from 'node:fs';
import { NotFoundError } from 'openai';
import type { Model } from 'openai/resources/models';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_FAKE_KEY,
  startFakeGemini,
  type FakeGemini,
  type FakeModelEntry,
} from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { getPath } from '../support/openai-sse';

const FIXTURE = (
  JSON.parse(readFileSync(new URL('../fixtures/gemini-models.json', import.meta.url), 'utf8')) as {
    models: FakeModelEntry[];
  }
).models;

const idOf = (entry: FakeModelEntry) => entry.name.replace(/^models\//, '');
const VARIANT_SUFFIX = /-(nothinking|maxthinking|thinking-\d+)$/;

const isListRequest = (r: { method: string; path: string }) =>
  r.method === 'GET' && r.path === '/v1beta/models';

async function listIds(gw: TestGateway): Promise<Model[]> {
  const page = await gw.openai.models.list();
  return page.data;
}

describe('the fixture catalogue', () => {
  let fake: FakeGemini;
  let gw: TestGateway;

  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterAll(async () => {
    await fake.close();
  });
  // A gateway per test: each starts with an empty model cache.
  beforeEach(async () => {
    fake.reset();
    gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
  });
  afterEach(async () => {
    await gw.close();
  });

  it('lists every upstream model without the models/ prefix, in OpenAI shape', async () => {
    const models = await listIds(gw);
    const ids = models.map((m) => m.id);
    const upstreamIds = ids.filter((id) => !VARIANT_SUFFIX.test(id));
    expect(upstreamIds).toEqual(FIXTURE.map(idOf));
    expect(ids.some((id) => id.startsWith('models/'))).toBe(false);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of models) expect(m).toEqual({ id: m.id, object: 'model', created: 0, owned_by: 'google' });

    const calls = fake.requests.filter(isListRequest);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.query['pageSize']).toBe('1000');
    expect(calls[0]?.key).toBe(DEFAULT_FAKE_KEY);
  });

  it('adds thinking variants for the models that think, and only for them', async () => {
    const ids = new Set((await listIds(gw)).map((m) => m.id));
    for (const entry of FIXTURE) {
      const id = idOf(entry);
      const chat = entry.supportedGenerationMethods?.includes('generateContent') === true;
      const thinks = (entry.capabilities?.thinkingKind ?? 'none') !== 'none';
      const variants = [...ids].filter(
        (v) => v.startsWith(`${id}-`) && VARIANT_SUFFIX.test(v.slice(id.length)),
      );
      // Longer ids sharing the prefix (gemini-2.5-flash-lite vs gemini-2.5-flash) are their own models.
      const own = variants.filter((v) => VARIANT_SUFFIX.exec(v)?.index === id.length);
      if (chat && thinks) {
        expect(own, id).toContain(`${id}-maxthinking`);
        expect(
          own.some((v) => /-thinking-\d+$/.test(v)),
          id,
        ).toBe(true);
      } else {
        expect(own, id).toEqual([]);
      }
    }
    expect(ids).toContain('gemini-2.5-flash-nothinking');
    expect(ids).toContain('gemini-2.5-flash-thinking-8192');
    expect(ids).toContain('gemini-3-pro-preview-nothinking');
    expect(ids).not.toContain('gemini-2.0-flash-maxthinking');
    expect(ids).not.toContain('gemini-embedding-001-maxthinking');
  });

  it('every advertised variant is a model a chat request accepts', async () => {
    const variants = (await listIds(gw)).map((m) => m.id).filter((id) => VARIANT_SUFFIX.test(id));
    expect(variants.length).toBeGreaterThan(10);
    const results = await Promise.all(
      variants.map(async (model) => {
        const res = await gw.openai.chat.completions
          .create({ model, messages: [{ role: 'user', content: 'hi' }] })
          .catch((e: unknown) => ({ choices: [{ message: { content: `${model}: ${String(e)}` } }] }));
        return res.choices[0]?.message.content ?? '';
      }),
    );
    // Image models add their picture after the echo.
    expect(results.filter((c) => !c.startsWith('Echo: hi'))).toEqual([]);
  });

  it('appends EXTRA_MODELS (prefix stripped, no duplicates) after the upstream list', async () => {
    gw.settings.update({ extraModels: ['my-tuned-model', 'models/gemini-exp-1206', 'gemini-2.5-flash'] });
    const models = await listIds(gw);
    expect(models.slice(-2)).toEqual([
      { id: 'my-tuned-model', object: 'model', created: 0, owned_by: 'gemgate' },
      { id: 'gemini-exp-1206', object: 'model', created: 0, owned_by: 'gemgate' },
    ]);
    expect(models.filter((m) => m.id === 'gemini-2.5-flash')).toEqual([
      { id: 'gemini-2.5-flash', object: 'model', created: 0, owned_by: 'google' },
    ]);
  });

  it('GET /v1/models/{id}: found (plain, variant, extra) or 404 model_not_found', async () => {
    gw.settings.update({ extraModels: ['my-tuned-model'] });
    expect(await gw.openai.models.retrieve('gemini-2.5-flash')).toEqual({
      id: 'gemini-2.5-flash',
      object: 'model',
      created: 0,
      owned_by: 'google',
    });
    expect((await gw.openai.models.retrieve('gemini-2.5-pro-thinking-8192')).id).toBe(
      'gemini-2.5-pro-thinking-8192',
    );
    expect((await gw.openai.models.retrieve('my-tuned-model')).owned_by).toBe('gemgate');
    // Gemini-style ids (the SDK percent-encodes the slash) name the same model.
    expect((await gw.openai.models.retrieve('models/gemini-2.5-flash')).id).toBe('gemini-2.5-flash');

    const err = await gw.openai.models.retrieve('gemini-9-ultra').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).code).toBe('model_not_found');
    expect((err as NotFoundError).message).toContain('gemini-9-ultra');

    const raw = await getPath(gw, '/v1/models/gemini-9-ultra');
    expect(raw.status).toBe(404);
    expect(JSON.parse(raw.text)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'model_not_found', param: 'model' },
    });
  });

  it('serves repeated calls from the cache within MODELS_CACHE_SECONDS', async () => {
    const first = await listIds(gw);
    const second = await listIds(gw);
    await gw.openai.models.retrieve('gemini-2.0-flash');
    expect(second).toEqual(first);
    expect(fake.requests.filter(isListRequest)).toHaveLength(1);
  });

  it('after the TTL a failed refresh keeps the last good list in service', async () => {
    const good = await listIds(gw);
    expect(fake.requests.filter(isListRequest)).toHaveLength(1);

    // Expire the cache and make Google fail from now on.
    gw.settings.update({ modelsCacheSeconds: 0 });
    fake.reset();
    fake.script((r) => (isListRequest(r) ? { kind: 'error', status: 503 } : undefined));
    const warned = new Promise<string>((resolve) => {
      const off = gw.core.log.subscribe((e) => {
        if (e.message.includes('Could not refresh the Gemini model list')) {
          off();
          resolve(e.message);
        }
      });
    });

    expect(await listIds(gw)).toEqual(good);
    const refresh = await fake.waitFor(isListRequest, 2000);
    expect(refresh.key).toBe(DEFAULT_FAKE_KEY);
    expect(await warned).toContain('overloaded');
    // Still served, also by id, while Google keeps failing.
    expect(await listIds(gw)).toEqual(good);
    expect((await gw.openai.models.retrieve('gemini-2.5-pro')).id).toBe('gemini-2.5-pro');
  });
});

describe('a catalogue larger than one page', () => {
  const generated: FakeModelEntry[] = Array.from({ length: 1234 }, (_, i) => ({
    name: `models/generated-model-${String(i).padStart(4, '0')}`,
    supportedGenerationMethods: ['generateContent'],
  }));
  let fake: FakeGemini;
  let gw: TestGateway;

  beforeAll(async () => {
    fake = await startFakeGemini({ models: [...FIXTURE, ...generated] });
    gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
  });
  afterAll(async () => {
    await fake.close();
    await gw.close();
  });

  it('follows nextPageToken until every model is listed', async () => {
    const ids = (await listIds(gw)).map((m) => m.id);
    const upstream = ids.filter((id) => !VARIANT_SUFFIX.test(id));
    expect(upstream).toEqual([...FIXTURE, ...generated].map(idOf));
    expect(ids).toContain('generated-model-1233');

    const calls = fake.requests.filter(isListRequest);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.query['pageToken']).toBeUndefined();
    expect(calls[1]?.query['pageToken']).toMatch(/.+/);
    expect(calls.every((c) => c.query['pageSize'] === '1000')).toBe(true);
  });
});
