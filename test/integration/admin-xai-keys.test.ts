/**
 * The xAI key pool over the HTTP admin, against the fake xAI: after real /xai/v1 traffic has cooled
 * one pooled key (429) and disabled another (xAI rejected it, quoting the key in full), GET
 * /admin/api/xai-keys shows each key masked with its state and why — never a full key — and POST
 * /admin/api/xai-keys/:id/enable gives the disabled one another chance. Both need an admin session.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_HTTP } from '../../shared/admin-transport';
import { keyIdOf } from '../../main/server/keys/key-pool';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';
import { errorOf, rawCall, signIn, type AdminClient } from './admin-http-client';

const ADMIN = 'Admin-Password-xai-1';
const PASSWORD = 'api-Password-xai-1';
const K1 = 'xai-FAKE-admin-pooled-000000001';
const K2 = 'xai-FAKE-admin-pooled-000000002';
const K3 = 'xai-FAKE-admin-pooled-000000003';
const ALL = [K1, K2, K3];

let fake: FakeXai;
let gw: TestGateway;
let client: AdminClient;

beforeAll(async () => {
  // K2 is known to the fake: its rejection is scripted, quoting the key in full.
  fake = await startFakeXai({ keys: [FAKE_XAI_KEY, ...ALL] });
  gw = await startGateway({
    upstreamUrl: 'http://127.0.0.1:9', // no Gemini call is made here
    keys: [],
    settings: {
      password: PASSWORD,
      adminPassword: ADMIN,
      xaiBaseUrl: fake.url,
      xaiApiKeys: ALL,
      keyCooldownSeconds: 60,
    },
  });
  client = await signIn(gw.url, ADMIN);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.script(undefined);
  gw.settings.update({ xaiApiKeys: ALL });
  gw.core.xaiKeys.setKeys([]); // forget cooldowns and counters of the previous test
  gw.core.xaiKeys.setKeys(ALL);
});

/**
 * One relayed request: K1 is rate-limited, K2 rejected — its 400 quoting the key in full, as a relay
 * in front of xAI might — and K3 answers.
 */
async function coolK1AndRejectK2(): Promise<void> {
  fake.script((r) => {
    if (r.key === K1) {
      return {
        kind: 'error',
        status: 429,
        body: { code: 'Some resource has been exhausted', error: 'slow down' },
        headers: { 'retry-after': '30' },
      };
    }
    if (r.key === K2) {
      return {
        kind: 'error',
        status: 400,
        body: { code: 'Client specified an invalid argument', error: `Incorrect API key provided: ${K2}` },
      };
    }
    return undefined;
  });
  const res = await fetch(`${gw.url}/xai/v1/models`, { headers: { authorization: `Bearer ${PASSWORD}` } });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  expect(fake.requests.map((r) => r.key)).toEqual([K1, K2, K3]);
}

describe('GET /admin/api/xai-keys', () => {
  it('needs an admin session: none, a forged one and the API password are refused', async () => {
    for (const token of [null, 'forged.token', PASSWORD]) {
      const reply = await rawCall(gw.url, 'GET', '/admin/api/xai-keys', { token });
      expect(reply.status, String(token)).toBe(401);
      expect(errorOf(reply).code).toBe('admin_unauthorized');
      for (const key of ALL) expect(reply.text).not.toContain(key);
    }
  });

  it('each pooled key masked, with its state, counters and last error; no full key in the answer', async () => {
    await coolK1AndRejectK2();
    const reply = await client.raw('GET', ADMIN_HTTP.listXaiKeys.path);
    expect(reply.status).toBe(200);
    for (const key of ALL) expect(reply.text).not.toContain(key);

    // The web admin's own client reads the same.
    const keys = await client.admin.listXaiKeys();
    expect(keys).toEqual(reply.json);
    expect(keys.map((k) => [k.id, k.masked, k.status])).toEqual([
      [keyIdOf(K1), 'xai-…0001', 'cooling'],
      [keyIdOf(K2), 'xai-…0002', 'disabled'],
      [keyIdOf(K3), 'xai-…0003', 'active'],
    ]);
    const [k1, k2, k3] = keys;
    expect(k1?.cooldownUntil).toBeGreaterThan(Date.now() + 20_000);
    expect(k1).toMatchObject({
      requests: 1,
      failures: 1,
      lastError: { status: 429, message: 'HTTP 429 from xAI' },
    });
    expect(k2).toMatchObject({
      requests: 1,
      failures: 1,
      disabledReason: 'HTTP 400 from xAI: Incorrect API key provided: xai-…0002',
      lastError: { status: 400 },
    });
    expect(k3).toMatchObject({ requests: 1, successes: 1, failures: 0, lastError: null });
    expect(k3?.lastUsedAt).not.toBeNull();
  });

  it('an empty list when XAI_API_KEYS has no keys; the saved list applies at once', async () => {
    gw.settings.update({ xaiApiKeys: [] });
    expect(await client.admin.listXaiKeys()).toEqual([]);
    gw.settings.update({ xaiApiKeys: [K3] });
    expect((await client.admin.listXaiKeys()).map((k) => k.masked)).toEqual(['xai-…0003']);
  });
});

describe('POST /admin/api/xai-keys/:id/enable', () => {
  const enablePath = (key: string) => ADMIN_HTTP.enableXaiKey.path.replace(':id', keyIdOf(key));

  it('needs an admin session, and changes nothing without one', async () => {
    await coolK1AndRejectK2();
    const reply = await rawCall(gw.url, 'POST', enablePath(K2));
    expect(reply.status).toBe(401);
    expect((await client.admin.listXaiKeys())[1]?.status).toBe('disabled');
  });

  it('switches the disabled key back on (masked in the answer and the log); requests use it again', async () => {
    await coolK1AndRejectK2();
    const reply = await client.raw('POST', enablePath(K2));
    expect(reply.status).toBe(200);
    for (const key of ALL) expect(reply.text).not.toContain(key);
    const keys = await client.admin.listXaiKeys();
    expect(keys.map((k) => k.status)).toEqual(['cooling', 'active', 'active']);
    expect(gw.core.log.recent().map((e) => e.message)).toContain('admin: xAI key xai-…0002 enabled again');

    // The owner fixed the key at xAI: the rotation reaches it again (K1 still cools down).
    fake.script(undefined);
    fake.reset();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${gw.url}/xai/v1/models`, {
        headers: { authorization: `Bearer ${PASSWORD}` },
      });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
    }
    expect(new Set(fake.requests.map((r) => r.key))).toEqual(new Set([K2, K3]));
  });

  it('a cooling key keeps its cooldown; an unknown id is a 404', async () => {
    await coolK1AndRejectK2();
    const cooling = await client.admin.enableXaiKey(keyIdOf(K1));
    expect(cooling[0]?.status).toBe('cooling');
    const unknown = await client.raw('POST', ADMIN_HTTP.enableXaiKey.path.replace(':id', 'abcdef123456'));
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ code: 'not_found', param: 'id' });
  });
});
