/**
 * Status and settings over the HTTP admin (real server, real sockets, signed in first): secrets
 * masked and masks meaning "unchanged", a change taking effect on the API at once, a 400 that names
 * the invalid setting, reset, and revealSecret as the one way a secret leaves.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../shared/admin-contract';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { errorOf, signIn, type AdminClient } from './admin-http-client';

const PASSWORD = 'api-Password-1';
const ADMIN = 'Admin-Password-1';
const XAI_1 = 'xai-aaaaaaaaaaaaaaaa1111';
const XAI_2 = 'xai-bbbbbbbbbbbbbbbb2222';

let fake: FakeGemini;
let gw: TestGateway;
let client: AdminClient;

beforeAll(async () => {
  fake = await startFakeGemini();
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    settings: { password: PASSWORD, adminPassword: ADMIN, xaiApiKeys: [XAI_1, XAI_2] },
  });
  client = await signIn(gw.url, ADMIN);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

const models = (key: string) =>
  fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });

describe('getStatus', () => {
  it('reports the listener, the version, the keys and no warnings for a sound setup', async () => {
    const status = await client.admin.getStatus();
    const port = Number(new URL(gw.url).port);
    expect(status).toMatchObject({
      version: 'test',
      mode: 'headless',
      listening: { host: '127.0.0.1', port, baseUrl: `${gw.url}/v1` },
      publicUrl: null,
      listenError: null,
      listenProblem: null,
      startedAt: gw.core.startedAt,
      keys: { total: 1, active: 1, cooling: 0, disabled: 0 },
      warnings: [],
    });
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('says HOST_URL is the address for clients once it is set: the dashboard shows it, not the listener', async () => {
    await client.admin.updateSettings({ hostUrl: 'https://me-space.hf.space' });
    try {
      expect((await client.admin.getStatus()).publicUrl).toBe('https://me-space.hf.space');
    } finally {
      await client.admin.resetSettings(['hostUrl']);
    }
    expect((await client.admin.getStatus()).publicUrl).toBeNull();
  });
});

describe('getSettings', () => {
  it('masks secrets (lists item by item), says which are set, and sends no secret over the wire', async () => {
    const reply = await client.raw('GET', '/admin/api/settings');
    expect(reply.status).toBe(200);
    for (const secret of [PASSWORD, ADMIN, XAI_1, XAI_2, DEFAULT_FAKE_KEY])
      expect(reply.text).not.toContain(secret);

    const view = await client.admin.getSettings();
    expect(view.values.password).toBe(SECRET_MASK);
    expect(view.values.adminPassword).toBe(SECRET_MASK);
    expect(view.values.qiniuSecretKey).toBe('');
    expect(view.values.geminiApiKeys).toEqual([`${SECRET_MASK}AIza…0001`]);
    expect(view.values.xaiApiKeys).toEqual([`${SECRET_MASK}xai-…1111`, `${SECRET_MASK}xai-…2222`]);
    expect(view.values.proxyUrl).toBe(fake.url);
    expect(view.secretsSet).toEqual(
      expect.arrayContaining(['password', 'adminPassword', 'geminiApiKeys', 'xaiApiKeys']),
    );
    expect(view.secretsSet).not.toContain('qiniuSecretKey');
    expect(view.overridden).toEqual([]);
  });
});

describe('updateSettings', () => {
  it('a new PASSWORD is the API key at once; the old one is refused; reset brings it back', async () => {
    expect(await models(PASSWORD)).toBe(200);
    const result = await client.admin.updateSettings({ password: 'api-Password-2' });
    expect(result.restarting).toBe(false);
    expect(result.settings.values.password).toBe(SECRET_MASK);
    expect(result.settings.overridden).toEqual(['password']);
    expect(await models(PASSWORD)).toBe(401);
    expect(await models('api-Password-2')).toBe(200);

    const reset = await client.admin.resetSettings(['password']);
    expect(reset.settings.overridden).toEqual([]);
    expect(await models(PASSWORD)).toBe(200);
    expect(await models('api-Password-2')).toBe(401);
  });

  it('MAX_REQUESTS_PER_MINUTE applies to the next requests', async () => {
    await client.admin.updateSettings({ maxRequestsPerMinute: 2 });
    try {
      expect(await models(PASSWORD)).toBe(200);
      expect(await models(PASSWORD)).toBe(200);
      expect(await models(PASSWORD)).toBe(429);
    } finally {
      await client.admin.resetSettings(['maxRequestsPerMinute']);
    }
    expect(gw.settings.get().maxRequestsPerMinute).toBe(0);
  });

  it('SECRET_MASK means unchanged; masked list entries keep the items they name', async () => {
    const view = await client.admin.getSettings();
    const result = await client.admin.updateSettings({
      password: SECRET_MASK,
      adminPassword: SECRET_MASK,
      // The first key dropped, the second kept by its masked entry, a third added in full.
      xaiApiKeys: [view.values.xaiApiKeys[1]!, 'xai-cccccccccccccccc3333'],
      maxRequestsPerDayPerIp: 5000,
    });
    expect(gw.settings.get().password).toBe(PASSWORD);
    expect(gw.settings.get().adminPassword).toBe(ADMIN);
    expect(gw.settings.get().xaiApiKeys).toEqual([XAI_2, 'xai-cccccccccccccccc3333']);
    expect(gw.settings.get().maxRequestsPerDayPerIp).toBe(5000);
    expect(result.settings.overridden.sort()).toEqual(['maxRequestsPerDayPerIp', 'xaiApiKeys']);
    // The whole list masked, as the settings form sends it back untouched.
    await client.admin.updateSettings({ xaiApiKeys: SECRET_MASK });
    expect(gw.settings.get().xaiApiKeys).toEqual([XAI_2, 'xai-cccccccccccccccc3333']);
    await client.admin.resetSettings(['xaiApiKeys', 'maxRequestsPerDayPerIp']);
    expect(gw.settings.get().xaiApiKeys).toEqual([XAI_1, XAI_2]);
  });

  it('an invalid value → 400 naming the setting, and nothing of the patch is applied', async () => {
    const before = gw.settings.get();
    const negative = await client.raw('PATCH', '/admin/api/settings', {
      maxRequestsPerMinute: -1,
      maxRequestsPerDayPerIp: 7,
    });
    expect(negative.status).toBe(400);
    expect(errorOf(negative)).toMatchObject({ code: 'invalid_request', param: 'maxRequestsPerMinute' });
    expect(errorOf(negative).message).toContain('MAX_REQUESTS_PER_MINUTE');

    const item = await client.raw('PATCH', '/admin/api/settings', {
      whitelistIps: ['10.0.0.1', 'not-an-ip'],
    });
    expect(item.status).toBe(400);
    expect(errorOf(item).param).toBe('whitelistIps[1]');

    const unknown = await client.raw('PATCH', '/admin/api/settings', { nope: 1 });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ param: 'nope', message: "Unknown setting 'nope'." });

    const forgedMask = await client.raw('PATCH', '/admin/api/settings', {
      xaiApiKeys: [`${SECRET_MASK}xai-…9999`],
    });
    expect(forgedMask.status).toBe(400);
    expect(errorOf(forgedMask).param).toBe('xaiApiKeys[0]');

    const notObject = await client.raw('PATCH', '/admin/api/settings', ['port']);
    expect(notObject.status).toBe(400);

    const badWrongType = await client.raw('PATCH', '/admin/api/settings', { password: 42 });
    expect(badWrongType.status).toBe(400);
    expect(badWrongType.text).not.toContain(PASSWORD);

    expect(gw.settings.get()).toEqual(before);
  });

  it('a body-limit change is saved for the next start: restart_required until reset', async () => {
    const result = await client.admin.updateSettings({ maxBodyMb: 64 });
    expect(result.restarting).toBe(false);
    expect((await client.admin.getStatus()).warnings).toContain('restart_required');
    await client.admin.resetSettings(['maxBodyMb']);
    expect((await client.admin.getStatus()).warnings).not.toContain('restart_required');
  });

  it('an image-folder change applies at once (the store is rebuilt): no restart_required', async () => {
    const result = await client.admin.updateSettings({ imageStorageDir: join(gw.dataDir, 'pictures') });
    try {
      expect(result.restarting).toBe(false);
      expect((await client.admin.getStatus()).warnings).not.toContain('restart_required');
    } finally {
      await client.admin.resetSettings(['imageStorageDir']);
    }
  });

  it('resetSettings refuses unknown settings', async () => {
    const reply = await client.raw('POST', '/admin/api/settings/reset', { keys: ['port', 'nope'] });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).param).toBe('nope');
    const notList = await client.raw('POST', '/admin/api/settings/reset', { keys: 'port' });
    expect(notList.status).toBe(400);
  });
});

describe('revealSecret', () => {
  it('returns the secret ({ value } on the wire) and logs only which one was revealed', async () => {
    const reply = await client.raw('POST', '/admin/api/settings/reveal', { key: 'adminPassword' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ value: ADMIN });
    expect(await client.admin.revealSecret('xaiApiKeys')).toBe(`${XAI_1}\n${XAI_2}`);
    expect(await client.admin.revealSecret('qiniuSecretKey')).toBe('');

    const log = gw.core.log.recent().map((e) => e.message);
    expect(log).toContain('admin: revealed adminPassword');
    expect(log).toContain('admin: revealed xaiApiKeys');
    expect(JSON.stringify(log)).not.toContain(XAI_1);
  });

  it('refuses settings that are not secrets, and unknown ones', async () => {
    await expect(client.admin.revealSecret('port')).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    const unknown = await client.raw('POST', '/admin/api/settings/reveal', { key: 'nope' });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).param).toBe('nope');
  });
});
