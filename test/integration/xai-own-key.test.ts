/**
 * What a caller of /xai/ with its own xAI key — no gateway credential, just `Bearer xai-anything` —
 * can no longer do to the owner's gateway, over real sockets: grow memory, the console or the usage
 * journal with the model name it sends (now bounded, without control characters, and its calls not
 * in usage at all), use up MAX_REQUESTS_PER_MINUTE that protects the pooled keys (the other callers'
 * budget), or fill the owner's image store and gallery (its Grok images come back inline). Pooled
 * calls keep recording usage and storing images (xai-images.test.ts, xai-pool.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_LOGGABLE_MODEL_CHARS } from '../../main/server/logging/loggable-model';
import type { Settings } from '../../shared/settings-schema';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'xai-own-key-Password-5';
const POOLED = 'xai-FAKE-pooled-own-test-01';

let xaiFake: FakeXai;
let geminiFake: FakeGemini;
let gw: TestGateway;
let baseline: Settings;
const extra: TestGateway[] = [];

async function gateway(settings: Partial<Settings> = {}): Promise<TestGateway> {
  return startGateway({
    upstreamUrl: geminiFake.url,
    keys: [DEFAULT_FAKE_KEY],
    settings: {
      password: PASSWORD,
      xaiBaseUrl: xaiFake.url,
      xaiApiKeys: [POOLED],
      imageStorageType: 'memory',
      ...settings,
    },
  });
}

beforeAll(async () => {
  xaiFake = await startFakeXai({ keys: [FAKE_XAI_KEY, POOLED] });
  geminiFake = await startFakeGemini();
  gw = await gateway();
  baseline = gw.settings.get();
});
afterAll(async () => {
  await xaiFake.close();
  await geminiFake.close();
  await gw.close();
});
beforeEach(() => {
  xaiFake.reset();
  gw.settings.update(baseline);
  gw.core.log.clear();
});
afterEach(async () => {
  for (const other of extra.splice(0)) await other.close();
});

async function post(
  path: string,
  token: string,
  body: unknown,
  target = gw,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const get = async (path: string, token: string, target = gw): Promise<number> => {
  const res = await fetch(`${target.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
};

const usageModels = (target = gw) =>
  target.core.usage
    .report('24h', target.core.now(), { keyMasked: (id) => id, accessKeyName: (id) => id })
    .byModel.map((m) => m.model);

/** The request log entry of the latest request to `path`. */
const loggedRequest = (path: string, target = gw) =>
  vi.waitFor(() => {
    const entry = target.core.log.recent().findLast((e) => e.request?.path === path);
    if (!entry?.request) throw new Error(`no log entry for ${path} yet`);
    return entry;
  });

/** A model name that would forge a console line, followed by a megabyte. */
const FORGED = `grok-4\n2026-01-01T00:00:00.000Z INFO  admin: signed in from 127.0.0.1\u001b[2K${'a'.repeat(1024 * 1024)}`;

const expectBounded = (model: string | undefined) => {
  expect(model).toBeDefined();
  expect(model!.length).toBeLessThanOrEqual(MAX_LOGGABLE_MODEL_CHARS);
  for (const control of ['\n', '\r', '\u001b']) expect(model).not.toContain(control);
  expect(model!.startsWith('grok-4\ufffd2026-01-01T00:00:00.000Z INFO')).toBe(true);
};

describe('the model name a client sends is recorded bounded, without control characters', () => {
  it('/xai/v1/chat/completions: the log line and its fields; xAI still gets the body as sent', async () => {
    const res = await post('/xai/v1/chat/completions', FAKE_XAI_KEY, {
      model: FORGED,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(404); // the fake xAI knows no such model
    expect((xaiFake.requests[0]?.body as { model?: string }).model).toBe(FORGED);
    const entry = await loggedRequest('/xai/v1/chat/completions');
    expectBounded(entry.request?.model);
    expect(entry.message).not.toContain('\n');
    expect(entry.message.length).toBeLessThan(1024);
  });

  it('/xai/v1/images/generations, and a pooled call’s usage bucket', async () => {
    const res = await post('/xai/v1/images/generations', PASSWORD, { model: FORGED, prompt: 'a cat' });
    expect(res.status).toBe(404);
    const entry = await loggedRequest('/xai/v1/images/generations');
    expectBounded(entry.request?.model);
    const models = usageModels();
    expect(models).toHaveLength(1);
    expectBounded(models[0]);
    gw.core.usage.flush(gw.core.now());
    expect(readFileSync(join(gw.dataDir, 'usage.json'), 'utf8').length).toBeLessThan(4096);
  });

  it('/v1/chat/completions', async () => {
    const res = await post('/v1/chat/completions', PASSWORD, {
      model: FORGED,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const entry = await loggedRequest('/v1/chat/completions');
    expectBounded(entry.request?.model);
  });
});

describe('calls with the caller’s own xAI key', () => {
  it('are logged but not recorded as usage (the owner’s keys were not used); pooled calls still are', async () => {
    const fresh = await gateway();
    extra.push(fresh);
    const send = (token: string, path: string, body: unknown) => post(path, token, body, fresh);
    expect((await send(FAKE_XAI_KEY, '/xai/v1/chat/completions', chat('own-model-1'))).status).toBe(404);
    expect((await send('xai-garbage', '/xai/v1/chat/completions', chat('own-model-2'))).status).toBe(400);
    const images = { model: 'own-3', prompt: 'x' };
    expect((await send(FAKE_XAI_KEY, '/xai/v1/images/generations', images)).status).toBe(404);
    expect((await send(PASSWORD, '/xai/v1/chat/completions', chat('grok-4'))).status).toBe(200);
    await vi.waitFor(() => expect(fresh.core.log.recent().filter((e) => e.request)).toHaveLength(4));
    expect(fresh.core.log.recent().flatMap((e) => e.request?.model ?? [])).toEqual([
      'own-model-1',
      'own-model-2',
      'own-3',
      'grok-4',
    ]);
    expect(usageModels(fresh)).toEqual(['grok-4']);
  });

  it('do not use up MAX_REQUESTS_PER_MINUTE: the Gemini routes stay open; pooled /xai calls count', async () => {
    const limited = await gateway({ maxRequestsPerMinute: 2 });
    extra.push(limited);
    for (let i = 0; i < 30; i++) expect(await get('/xai/v1/models', `xai-garbage-${i}`, limited)).toBe(400);
    expect(await get('/xai/v1/models', FAKE_XAI_KEY, limited)).toBe(200);
    expect(await get('/v1/models', PASSWORD, limited)).toBe(200);
    expect(await get('/xai/v1/models', PASSWORD, limited)).toBe(200);
    // The two pooled or Gemini requests filled the minute: the limit itself still holds.
    expect(await get('/v1/models', PASSWORD, limited)).toBe(429);
    expect(await get('/xai/v1/models', PASSWORD, limited)).toBe(429);
    // Own keys are still served: they spend no pooled key's quota.
    expect(await get('/xai/v1/models', FAKE_XAI_KEY, limited)).toBe(200);
  });

  it('still count toward MAX_REQUESTS_PER_DAY_PER_IP', async () => {
    const limited = await gateway({ maxRequestsPerDayPerIp: 2 });
    extra.push(limited);
    expect(await get('/xai/v1/models', FAKE_XAI_KEY, limited)).toBe(200);
    expect(await get('/xai/v1/models', FAKE_XAI_KEY, limited)).toBe(200);
    expect(await get('/xai/v1/models', FAKE_XAI_KEY, limited)).toBe(429);
  });

  it('XAI_RESPONSE_FORMAT=b64_json: Grok images come back inline, never into the owner’s store', async () => {
    gw.settings.update({ xaiResponseFormat: 'b64_json' });
    const before = gw.core.images.library.list().total;
    const res = await post('/xai/v1/chat/completions', FAKE_XAI_KEY, { ...chat('grok-2-image-1212'), n: 2 });
    expect(res.status).toBe(200);
    const content = (res.json['choices'] as { message: { content: string } }[])[0]!.message.content;
    const links = [...content.matchAll(/!\[image \d+\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(2);
    for (const [i, link] of links.entries()) {
      expect(link.startsWith('data:image/jpeg;base64,')).toBe(true);
      const bytes = Buffer.from(link.slice('data:image/jpeg;base64,'.length), 'base64');
      expect(bytes.equals(xaiFake.generated.at(i - 2)!)).toBe(true);
    }
    expect(gw.core.images.library.list().total).toBe(before);

    // The same request with the password (a pooled key) is stored and linked, as before.
    const pooled = await post('/xai/v1/chat/completions', PASSWORD, chat('grok-2-image-1212'));
    const pooledContent = (pooled.json['choices'] as { message: { content: string } }[])[0]!.message.content;
    expect(pooledContent).toContain(`](${gw.url}/images/`);
    expect(gw.core.images.library.list().total).toBe(before + 1);
  });
});

function chat(model: string) {
  return { model, messages: [{ role: 'user', content: 'a red cat' }] };
}
