/**
 * The Gemini key pool and the access keys over the HTTP admin, against the fake Gemini: a bulk paste
 * counts duplicates, persists through the settings and gets the new keys checked at once; checks,
 * enable/disable and removal by id; access keys created, limited, disabled and revoked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyHealth } from '../../shared/admin-dto';
import { keyIdOf } from '../../main/server/keys/key-pool';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { callsPerKey } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { errorOf, signIn, type AdminClient } from './admin-http-client';

const ADMIN = 'Admin-Password-1';
const GOOD = 'AIzaFAKE-valid-key-0002';
const BAD = 'AIzaFAKE-wrong-key-0003';

let fake: FakeGemini;
let gw: TestGateway;
let client: AdminClient;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: { [DEFAULT_FAKE_KEY]: 'valid', [GOOD]: 'valid' } });
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    settings: { adminPassword: ADMIN },
  });
  client = await signIn(gw.url, ADMIN);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const byId = (keys: KeyHealth[], key: string) => keys.find((k) => k.id === keyIdOf(key));

const chat = (key = gw.settings.get().password) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });

describe('Gemini keys', () => {
  it('addKeys: any separator, duplicates counted, saved in GEMINI_API_KEYS, new keys checked at once', async () => {
    const result = await client.admin.addKeys(`${GOOD}, ${BAD}\n${GOOD}  ${DEFAULT_FAKE_KEY};`);
    expect(result).toMatchObject({ added: 2, duplicates: 2 });
    expect(result.keys.map((k) => k.id)).toEqual([DEFAULT_FAKE_KEY, GOOD, BAD].map(keyIdOf));
    expect(gw.settings.get().geminiApiKeys).toEqual([DEFAULT_FAKE_KEY, GOOD, BAD]);
    expect((await client.admin.getSettings()).values.geminiApiKeys).toHaveLength(3);

    // Only the new keys are probed, without being asked to.
    await fake.waitFor((r) => r.key === BAD && r.path.endsWith('/models'));
    await fake.waitFor((r) => r.key === GOOD && r.path.endsWith('/models'));
    expect(fake.requests.some((r) => r.key === DEFAULT_FAKE_KEY)).toBe(false);
    await vi.waitFor(async () => {
      const bad = byId(await client.admin.listKeys(), BAD);
      expect(bad?.status).toBe('disabled');
      expect(bad?.disabledReason).toBeTruthy();
    });
    expect(byId(await client.admin.listKeys(), GOOD)?.status).toBe('active');

    const again = await client.admin.addKeys(GOOD);
    expect(again).toMatchObject({ added: 0, duplicates: 1 });
  });

  it('addKeys refuses a body without text', async () => {
    const reply = await client.raw('POST', '/admin/api/keys', { text: 5 });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('text');
  });

  it('checkKeys: the given ids, or every key', async () => {
    const one = await client.admin.checkKeys([keyIdOf(BAD)]);
    expect(one).toEqual([expect.objectContaining({ id: keyIdOf(BAD), outcome: 'invalid' })]);
    const all = await client.admin.checkKeys();
    expect(Object.fromEntries(all.map((r) => [r.id, r.outcome]))).toEqual({
      [keyIdOf(DEFAULT_FAKE_KEY)]: 'valid',
      [keyIdOf(GOOD)]: 'valid',
      [keyIdOf(BAD)]: 'invalid',
    });
  });

  it('setKeyEnabled: a disabled key gets no traffic; an enabled one is back in the rotation', async () => {
    let keys = await client.admin.setKeyEnabled(keyIdOf(GOOD), false);
    expect(byId(keys, GOOD)).toMatchObject({ status: 'disabled', disabledReason: 'disabled in the admin' });
    for (let i = 0; i < 4; i++) expect(await chat()).toBe(200);
    expect(callsPerKey(fake)[GOOD]).toBeUndefined();

    keys = await client.admin.setKeyEnabled(keyIdOf(GOOD), true);
    expect(byId(keys, GOOD)?.status).toBe('active');
    fake.reset();
    for (let i = 0; i < 4; i++) expect(await chat()).toBe(200);
    expect(callsPerKey(fake)[GOOD]).toBeGreaterThan(0);
    expect(gw.core.log.recent().map((e) => e.message)).toContain('admin: Gemini key AIza…0002 enabled');
  });

  it('setKeyEnabled: unknown id → 404; a non-boolean → 400', async () => {
    await expect(client.admin.setKeyEnabled('0123456789ab', true)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    const reply = await client.raw('PATCH', `/admin/api/keys/${keyIdOf(GOOD)}`, { enabled: 'yes' });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('enabled');
  });

  it('removeKeys: by id, from the pool and the setting; unknown ids are ignored', async () => {
    const keys = await client.admin.removeKeys([keyIdOf(BAD), 'ffffffffffff']);
    expect(keys.map((k) => k.id)).toEqual([DEFAULT_FAKE_KEY, GOOD].map(keyIdOf));
    expect(gw.settings.get().geminiApiKeys).toEqual([DEFAULT_FAKE_KEY, GOOD]);
    expect((await client.admin.listKeys()).map((k) => k.id)).toEqual([DEFAULT_FAKE_KEY, GOOD].map(keyIdOf));
    const bad = await client.raw('POST', '/admin/api/keys/remove', { ids: 'all' });
    expect(bad.status).toBe(400);
  });

  it('key health and results never carry a full key', async () => {
    const reply = await client.raw('GET', '/admin/api/keys');
    expect(reply.status).toBe(200);
    expect(reply.text).not.toContain(DEFAULT_FAKE_KEY);
    expect(reply.text).not.toContain(GOOD);
  });
});

describe('access keys', () => {
  it('create → use → limit and disable → revoke, each reaching the API at once', async () => {
    const created = await client.admin.createAccessKey({ name: 'team', limit: 2 });
    expect(created.key).toMatch(/^\S{20,}$/);
    expect(created.record).toMatchObject({ name: 'team', limit: 2, used: 0, status: 'active' });
    expect((await client.admin.listAccessKeys()).map((k) => k.id)).toEqual([created.record.id]);
    expect(JSON.stringify(await client.admin.listAccessKeys())).not.toContain(created.key);

    expect(await chat(created.key)).toBe(200);
    const disabled = await client.admin.updateAccessKey(created.record.id, { enabled: false });
    expect(disabled).toMatchObject({ status: 'disabled', used: 1 });
    expect(await chat(created.key)).toBe(401);

    const renamed = await client.admin.updateAccessKey(created.record.id, { enabled: true, name: 'team-2' });
    expect(renamed).toMatchObject({ name: 'team-2', status: 'active' });
    expect(await chat(created.key)).toBe(200);
    expect((await client.admin.listAccessKeys())[0]).toMatchObject({ used: 2, status: 'exhausted' });

    const revoked = await client.raw('DELETE', `/admin/api/access-keys/${created.record.id}`);
    expect(revoked.status).toBe(204);
    expect(await client.admin.listAccessKeys()).toEqual([]);
    expect(await chat(created.key)).toBe(401);
    await expect(client.admin.revokeAccessKey(created.record.id)).rejects.toMatchObject({ status: 404 });
  });

  it('an invalid access key input → 400 naming the field', async () => {
    const reply = await client.raw('POST', '/admin/api/access-keys', { name: '  ', limit: 0 });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('name');
  });
});
