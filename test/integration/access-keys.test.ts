/**
 * Access keys (issue "Access control" §2) through the admin HTTP API and real API calls: create
 * (sk-…, shown once, never stored in clear), list, use (counted per successful request, last-used
 * time), update (disable, limits, usage reset), revoke, and the 401 that says why a key is refused —
 * disabled, expired (fake clock) or used up, including the daily reset at 00:00 UTC.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { AuthenticationError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessKeyDto, CreatedAccessKey } from '../../shared/admin-contract';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'gateway-Password-7';
/** 23:00 UTC, an hour before a daily reset. */
const START = Date.UTC(2030, 2, 14, 23, 0, 0);
const CHAT = { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }] };

let fake: FakeGemini;
let gw: TestGateway;
let clock = START;
let session: { token: string; expiresAt: number } | undefined;

beforeAll(async () => {
  fake = await startFakeGemini();
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    now: () => clock,
    settings: { password: PASSWORD },
  });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

/** A session token, signing in again when the fake clock has moved past the last one. */
async function adminToken(): Promise<string> {
  if (!session || session.expiresAt <= clock) {
    const login = await fetch(`${gw.url}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    session = (await login.json()) as { token: string; expiresAt: number };
  }
  return session.token;
}

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const token = await adminToken();
  const res = await fetch(`${gw.url}/admin/api/access-keys${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function create(input: Record<string, unknown>): Promise<CreatedAccessKey> {
  const reply = await admin('POST', '', input);
  expect(reply.status).toBe(201);
  return reply.body as CreatedAccessKey;
}

async function listed(id: string): Promise<AccessKeyDto> {
  const reply = await admin('GET', '');
  expect(reply.status).toBe(200);
  const found = (reply.body as AccessKeyDto[]).find((k) => k.id === id);
  if (!found) throw new Error(`key ${id} not listed`);
  return found;
}

async function chatWith(
  key: string,
): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(CHAT),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

/** Uses are committed when the response is finished; the client can see the answer a moment earlier. */
const usedBecomes = (id: string, used: number) =>
  vi.waitFor(async () => expect((await listed(id)).used).toBe(used));

describe('lifecycle', () => {
  it('create: an sk- key from a CSPRNG alphabet, shown once; the list has only a preview', async () => {
    const { key, record } = await create({ name: 'alice' });
    expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    expect(record).toEqual({
      id: expect.any(String) as unknown,
      name: 'alice',
      preview: `${key.slice(0, 7)}…${key.slice(-4)}`,
      enabled: true,
      limit: null,
      dailyReset: false,
      perMinute: null,
      expiresAt: null,
      createdAt: START,
      lastUsedAt: null,
      used: 0,
      status: 'active',
    });
    const list = await admin('GET', '');
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(JSON.stringify(list.body)).not.toContain('hash');
    expect(await listed(record.id)).toEqual(record);

    // Two keys never collide, and the key is not kept in clear anywhere on disk or in the log.
    const other = await create({ name: 'alice' });
    expect(other.key).not.toBe(key);
    expect(other.record.id).not.toBe(record.id);
    for (const file of readdirSync(gw.dataDir)) {
      expect(readFileSync(join(gw.dataDir, file), 'utf8'), file).not.toContain(key.slice(3));
    }
    expect(JSON.stringify(gw.core.log.recent())).not.toContain(key.slice(3));
  });

  it('use: a key is a credential on /v1 (SDK) and on native routes; successes are counted with the time', async () => {
    const { key, record } = await create({ name: 'bob' });
    const client = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    clock += 1000;
    const res = await client.chat.completions.create(CHAT as never);
    expect(res.choices[0]?.message.content).toBe('Echo: hi');
    await usedBecomes(record.id, 1);
    expect((await listed(record.id)).lastUsedAt).toBe(START + 1000);

    const models = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    await usedBecomes(record.id, 2);

    // Accepted on a Gemini-native route (then the 404): a failed request is not a use.
    const native = await fetch(`${gw.url}/v1beta/files?key=${key}`);
    expect(native.status).toBe(404);
    const viaHeader = await fetch(`${gw.url}/v1beta/files`, { headers: { 'x-goog-api-key': key } });
    expect(viaHeader.status).toBe(404);
    expect((await listed(record.id)).used).toBe(2);
  });

  it('failed requests are not counted (an upstream 400 and a bad request body)', async () => {
    const { key, record } = await create({ name: 'carol', limit: 1 });
    fake.script(() => ({ kind: 'error', status: 400 }));
    expect((await chatWith(key)).status).toBe(400);
    const bad = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '{"model":',
    });
    expect(bad.status).toBe(400);
    fake.script(() => undefined);
    // The one allowed use is still there.
    expect((await chatWith(key)).status).toBe(200);
    await usedBecomes(record.id, 1);
  });

  it('a usage limit: once used up → 401 access_key_exhausted, Gemini not called', async () => {
    const { key, record } = await create({ name: 'dave', limit: 2 });
    expect((await chatWith(key)).status).toBe(200);
    expect((await chatWith(key)).status).toBe(200);
    await usedBecomes(record.id, 2);
    fake.reset();
    const refused = await chatWith(key);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'access_key_exhausted' });
    expect(refused.body.error?.message).toMatch(/'dave' has used all 2 requests/);
    expect(generateCalls(fake)).toHaveLength(0);
    expect((await listed(record.id)).status).toBe('exhausted');

    // The SDK surfaces it as an authentication error.
    const client = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const err = await client.chat.completions.create(CHAT as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);

    // Raising the limit or resetting the usage lets it in again.
    expect((await admin('PATCH', `/${record.id}`, { limit: 3 })).status).toBe(200);
    expect((await chatWith(key)).status).toBe(200);
    await usedBecomes(record.id, 3);
    const reset = await admin('PATCH', `/${record.id}`, { resetUsage: true });
    expect(reset.body).toMatchObject({ used: 0, status: 'active', limit: 3 });
    expect((await chatWith(key)).status).toBe(200);
  });

  it('disabled → 401 access_key_disabled (Gemini-shaped on native routes); enabling again works', async () => {
    const { key, record } = await create({ name: 'erin', enabled: false });
    expect(record.status).toBe('disabled');
    const refused = await chatWith(key);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'access_key_disabled' });
    expect(refused.body.error?.message).toMatch(/'erin' is disabled/);
    const native = await fetch(`${gw.url}/v1beta/models`, { headers: { 'x-goog-api-key': key } });
    expect(native.status).toBe(401);
    expect(await native.json()).toEqual({
      error: { code: 401, message: expect.stringMatching(/disabled/) as unknown, status: 'UNAUTHENTICATED' },
    });

    const enabled = await admin('PATCH', `/${record.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, status: 'active' });
    expect((await chatWith(key)).status).toBe(200);
    expect((await admin('PATCH', `/${record.id}`, { enabled: false })).status).toBe(200);
    expect((await chatWith(key)).body.error?.code).toBe('access_key_disabled');
  });

  it('expiry (fake clock): usable until expiresAt, then 401 access_key_expired', async () => {
    const expiresAt = clock + 3600_000;
    const { key, record } = await create({ name: 'frank', expiresAt });
    clock = expiresAt - 1;
    expect((await chatWith(key)).status).toBe(200);
    clock = expiresAt;
    const refused = await chatWith(key);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'access_key_expired' });
    expect(refused.body.error?.message).toContain(new Date(expiresAt).toISOString());
    expect((await listed(record.id)).status).toBe('expired');
    // Extending the expiry (or clearing it) revives it.
    expect((await admin('PATCH', `/${record.id}`, { expiresAt: null })).body).toMatchObject({
      status: 'active',
    });
    expect((await chatWith(key)).status).toBe(200);
  });

  it('daily reset (fake clock): the count starts again at 00:00 UTC; without the flag it does not', async () => {
    clock = Date.UTC(2030, 5, 1, 23, 59, 0);
    const daily = await create({ name: 'grace', limit: 1, dailyReset: true });
    const once = await create({ name: 'heidi', limit: 1 });
    for (const { key, record } of [daily, once]) {
      expect((await chatWith(key)).status).toBe(200);
      await usedBecomes(record.id, 1);
      expect((await chatWith(key)).body.error?.code).toBe('access_key_exhausted');
    }
    expect((await chatWith(daily.key)).body.error?.message).toMatch(/for today \(resets at 00:00 UTC\)/);

    clock = Date.UTC(2030, 5, 2, 0, 0, 1);
    expect(await listed(daily.record.id)).toMatchObject({ used: 0, status: 'active' });
    expect((await chatWith(daily.key)).status).toBe(200);
    await usedBecomes(daily.record.id, 1);
    expect((await chatWith(daily.key)).body.error?.code).toBe('access_key_exhausted');
    expect((await chatWith(once.key)).body.error?.code).toBe('access_key_exhausted');
    expect((await listed(once.record.id)).used).toBe(1);
  });

  it('revoke → 204, the key becomes an unknown credential; unknown ids → 404', async () => {
    const { key, record } = await create({ name: 'ivan' });
    expect((await chatWith(key)).status).toBe(200);
    expect((await admin('DELETE', `/${record.id}`)).status).toBe(204);
    const refused = await chatWith(key);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.code).toBe('invalid_api_key');
    expect(((await admin('GET', '')).body as AccessKeyDto[]).some((k) => k.id === record.id)).toBe(false);

    expect(await admin('DELETE', `/${record.id}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect((await admin('PATCH', '/nope', { name: 'x' })).status).toBe(404);
  });

  it('input is validated, and stored fields cannot be injected through create or update', async () => {
    for (const bad of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x', limit: 0 },
      { name: 'x', limit: 1.5 },
      { name: 'x', expiresAt: 'tomorrow' },
    ]) {
      expect((await admin('POST', '', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    const { key, record } = await create({
      name: 'judy',
      limit: 1,
      used: -100,
      hash: 'x',
      id: 'chosen',
      createdAt: 1,
    });
    expect(record).toMatchObject({ used: 0, createdAt: clock });
    expect(record.id).not.toBe('chosen');
    const patched = await admin('PATCH', `/${record.id}`, { used: -100, hash: 'x', lastUsedAt: 5 });
    expect(patched.body).toMatchObject({ used: 0, lastUsedAt: null });
    expect((await chatWith(key)).status).toBe(200);
    expect((await chatWith(key)).body.error?.code).toBe('access_key_exhausted');
  });

  it('an access key is not an admin credential', async () => {
    const { key } = await create({ name: 'mallory' });
    const list = await fetch(`${gw.url}/admin/api/access-keys`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(list.status).toBe(401);
    const login = await fetch(`${gw.url}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: key }),
    });
    expect(login.status).toBe(401);
  });
});
