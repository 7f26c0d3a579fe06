/**
 * Web pages the user visits, over real sockets from 127.0.0.1 (access/local-names.ts):
 * - DNS rebinding: a connection from this computer or its network whose Host names another site is
 *   refused by the web admin (its password defaults to "123" and it reveals the keys), with a clear
 *   403; this computer's names and HOST_URL's host pass; public peers are not guarded.
 * - Address-based access (WHITELIST_IPS, the auth command) does not extend to a page on another
 *   site (an `Origin` that is not this computer's): it must send a credential like anyone else.
 */
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

const PASSWORD = 'local-pages-Password-5';
const EVIL = 'https://evil.example';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started), {
  settings: { password: PASSWORD },
  resetSettings: true,
});
beforeEach(() => gw.core.authorisedIps.revokeAll());

interface Reply {
  status: number;
  body: { error?: { code?: unknown; message?: string; status?: unknown }; token?: string; object?: string };
}

async function send(path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const res = await request(`${gw.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text.startsWith('{') ? (JSON.parse(text) as Reply['body']) : {} };
}

const port = () => new URL(gw.url).port;
const login = (host: string) => send('/admin/api/login', { host }, { password: PASSWORD });

describe('DNS rebinding: the web admin over a loopback connection', () => {
  it('refuses a Host that names another site, for login, the API and the page, with a 403 that says why', async () => {
    for (const path of ['/admin/api/session', '/admin/', '/admin/api/settings']) {
      const reply = await send(path, { host: `evil.example:${port()}` });
      expect(reply.status, path).toBe(403);
      expect(reply.body.error?.code).toBe('permission_denied');
      expect(reply.body.error?.message).toContain('evil.example');
      expect(reply.body.error?.message).toContain(`http://127.0.0.1:${port()}/admin/`);
    }
    const refused = await login(`evil.example:${port()}`);
    expect(refused.status).toBe(403);
    expect(refused.body.token).toBeUndefined();
    expect(
      gw.core.log
        .recent()
        .some((e) => e.message.includes('Refused a web admin request for host "evil.example')),
    ).toBe(true);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', 'host.docker.internal', 'gemgate.localhost', 'my-pc'])(
    'signs in under this computer’s name %s',
    async (name) => {
      const reply = await login(`${name}:${port()}`);
      expect(reply.status).toBe(200);
      expect(typeof reply.body.token).toBe('string');
    },
  );

  it("accepts HOST_URL's host: the address the owner put the gateway behind", async () => {
    gw.settings.update({ hostUrl: 'https://gw.example.com' });
    expect((await login('gw.example.com')).status).toBe(200);
    expect((await login('other.example.com')).status).toBe(403);
  });

  it('a trusted proxy on loopback does not lift it: a browser on this computer connects from there too', async () => {
    gw.settings.update({ trustProxy: '127.0.0.1' });
    expect((await login('gw.example.com')).status).toBe(403);
    // …and forwarding headers are no way around it: a page can add them itself.
    const forwarded = await send(
      '/admin/api/login',
      { host: 'evil.example', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'localhost' },
      { password: PASSWORD },
    );
    expect(forwarded.status).toBe(403);
  });

  it('leaves the API alone: the credential protects it, whatever the Host', async () => {
    const reply = await send('/v1/models', { host: 'evil.example', authorization: `Bearer ${PASSWORD}` });
    expect(reply.status).toBe(200);
    expect(reply.body.object).toBe('list');
  });

  const injectLogin = (remoteAddress: string, host: string) =>
    gw.app.inject({
      method: 'POST',
      url: '/admin/api/login',
      remoteAddress,
      headers: { host },
      payload: { password: PASSWORD },
    });

  it('guards connections from the local network too: Docker’s or a VM’s port forwarding, a LAN browser', async () => {
    // Docker's bridge gateway, as a published port delivers a browser's connection to the container.
    expect((await injectLogin('172.17.0.1', 'evil.example')).statusCode).toBe(403);
    expect((await injectLogin('172.17.0.1', 'localhost:7860')).statusCode).toBe(200);
    // A phone on the LAN, by IP or by the router's name for this computer.
    expect((await injectLogin('192.168.1.23', '192.168.1.10:7860')).statusCode).toBe(200);
    expect((await injectLogin('192.168.1.23', 'my-pc.lan:7860')).statusCode).toBe(200);
    expect((await injectLogin('::ffff:192.168.1.23', 'evil.example')).statusCode).toBe(403);
  });

  it('behind a platform’s proxy (an internal peer, trusted or not) the platform’s name is HOST_URL’s', async () => {
    gw.settings.update({ trustProxy: 'true' });
    expect((await injectLogin('10.0.0.2', 'my-space.hf.space')).statusCode).toBe(403);
    gw.settings.update({ hostUrl: 'https://my-space.hf.space' });
    expect((await injectLogin('10.0.0.2', 'my-space.hf.space')).statusCode).toBe(200);
  });

  it('does not apply to connections from public addresses (no rebinding to this computer)', async () => {
    expect((await injectLogin('203.0.113.50', 'gw.example.com')).statusCode).toBe(200);
  });
});

const chat = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] };

describe('address-based access and pages on other sites', () => {
  it('WHITELIST_IPS lets a client in without a credential, but not a page on another site', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    expect((await send('/v1/models', {})).status).toBe(200);
    expect((await send('/v1/models', { origin: `http://localhost:3000` })).status).toBe(200);
    expect((await send('/v1/models', { origin: 'http://192.168.1.5:3080' })).status).toBe(200);
    // A desktop app's or an extension's own scheme: installed software, no web page can send it.
    expect((await send('/v1/models', { origin: 'app://cherry-studio' })).status).toBe(200);

    const page = await send('/v1/models', { origin: EVIL });
    expect(page.status).toBe(401);
    expect(page.body.error?.code).toBe('invalid_api_key');
    expect(page.body.error?.message).toContain(`A web page (${EVIL}) must send the gateway password`);
    expect((await send('/v1/models', { origin: 'null' })).status).toBe(401);

    const withKey = await send('/v1/models', { origin: EVIL, authorization: `Bearer ${PASSWORD}` });
    expect(withKey.status).toBe(200);
  });

  it('the same in the Gemini dialect, with Google-shaped errors', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    const page = await send('/v1beta/models', { origin: EVIL });
    expect(page.status).toBe(401);
    expect(page.body.error?.status).toBe('UNAUTHENTICATED');
    expect((await send('/v1beta/models', { origin: EVIL, 'x-goog-api-key': PASSWORD })).status).toBe(200);
  });

  it('an address authorised by `auth <password>` is not authorised for pages on other sites', async () => {
    const authorised = await send(
      '/v1/chat/completions',
      {},
      { ...chat, messages: [{ role: 'user', content: `auth ${PASSWORD}` }] },
    );
    expect(authorised.status).toBe(200);
    expect(gw.core.authorisedIps.isAuthorised('127.0.0.1')).toBe(true);

    expect((await send('/v1/chat/completions', {}, chat)).status).toBe(200);
    const page = await send('/v1/chat/completions', { origin: EVIL }, chat);
    expect(page.status).toBe(401);
    expect(page.body.error?.code).toBe('invalid_api_key');
    // A small chat request may be an `auth` command, answered later: the refusal still says why.
    expect(page.body.error?.message).toContain(`A web page (${EVIL}) must send the gateway password`);
    expect(generateCalls(fake)).toHaveLength(1);
  });

  it('a page served from a public IP is a site like any other; private IPs are this network', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    expect((await send('/v1/models', { origin: 'http://203.0.113.9' })).status).toBe(401);
    expect((await send('/v1/models', { origin: 'http://[2001:db8::1]:8080' })).status).toBe(401);
    expect((await send('/v1/models', { origin: 'http://10.0.0.8:3000' })).status).toBe(200);
    expect((await send('/v1/models', { origin: 'http://[::1]:3000' })).status).toBe(200);
  });

  it('a page that rebound its domain here sends no Origin on a same-origin GET: its Host gives it away', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    // Over plain http a browser sends neither Origin on a same-origin GET nor Sec-Fetch-*: from this
    // computer or its network, a host name the gateway does not know is enough to refuse.
    const rebound = await send('/v1/models', { host: `evil.example:${port()}` });
    expect(rebound.status).toBe(401);
    expect(rebound.body.error?.message).toContain(`A web page (evil.example:${port()}, a host name`);
    expect(rebound.body.error?.message).toContain('set HOST_URL');
    expect((await send('/v1/models', { host: `localhost:${port()}` })).status).toBe(200);
    // A program behind a local proxy or tunnel: HOST_URL names the site.
    expect((await send('/v1/models', { host: 'api.example.com' })).status).toBe(401);
    gw.settings.update({ hostUrl: 'https://api.example.com' });
    expect((await send('/v1/models', { host: 'api.example.com' })).status).toBe(200);
  });

  it('from a public address too: a rebinding page over plain http sends no Sec-Fetch-*, only its Host tells', async () => {
    gw.settings.update({ whitelistIps: ['203.0.113.50'] });
    const get = (host: string, headers: Record<string, string> = {}) =>
      gw.app
        .inject({
          method: 'GET',
          url: '/v1/models',
          remoteAddress: '203.0.113.50',
          headers: { host, ...headers },
        })
        .then((r) => r.statusCode);
    expect(await get('evil.example')).toBe(401);
    expect(await get('198.51.100.7:7860')).toBe(200); // the VPS by its IP
    // By its DNS name: HOST_URL says it is this gateway's.
    expect(await get('gw.example.net')).toBe(401);
    gw.settings.update({ hostUrl: 'http://gw.example.net:7860' });
    expect(await get('gw.example.net:7860')).toBe(200);
  });

  it('an <img> or <script> another site put in a page (no Origin, Sec-Fetch-Site: cross-site) is not let in by address', async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'] });
    const img = await send('/v1/models', { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' });
    expect(img.status).toBe(401);
    expect(img.body.error?.message).toContain('Sec-Fetch-Site: cross-site');
    // A page of this computer (same-site, or a fetch with a local Origin) keeps it.
    expect((await send('/v1/models', { 'sec-fetch-site': 'same-site' })).status).toBe(200);
    const local = { 'sec-fetch-site': 'cross-site', origin: 'http://192.168.1.5:3080' };
    expect((await send('/v1/models', local)).status).toBe(200);
  });

  it('`auth` sent by a page on another site does not authorise the address', async () => {
    const reply = await send(
      '/v1/chat/completions',
      { origin: EVIL },
      { ...chat, messages: [{ role: 'user', content: `auth ${PASSWORD}` }] },
    );
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.body)).toContain('cannot authorise an address');
    expect(gw.core.authorisedIps.isAuthorised('127.0.0.1')).toBe(false);
  });

  it('`auth` reached by a host name the gateway does not know says so instead of a grant that cannot work', async () => {
    const reply = await send(
      '/v1/chat/completions',
      { host: 'api.example.com' },
      { ...chat, messages: [{ role: 'user', content: `auth ${PASSWORD}` }] },
    );
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.body)).toContain('does not know the host name');
    expect(gw.core.authorisedIps.isAuthorised('127.0.0.1')).toBe(false);
  });

  it('the platform’s own host name (a Space’s SPACE_HOST) stays this gateway’s, whatever HOST_URL is saved as', async () => {
    const space = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { password: PASSWORD, hostUrl: '' },
      knownHosts: ['me-gemgate.hf.space'],
    });
    try {
      const login = (host: string) =>
        space.app.inject({
          method: 'POST',
          url: '/admin/api/login',
          remoteAddress: '10.16.0.5',
          headers: { host },
          payload: { password: PASSWORD },
        });
      expect((await login('me-gemgate.hf.space')).statusCode).toBe(200);
      expect((await login('evil.example')).statusCode).toBe(403);
    } finally {
      await space.close();
    }
  });

  it("HOST_URL's host is this gateway's own site", async () => {
    gw.settings.update({ whitelistIps: ['127.0.0.1'], hostUrl: 'https://chat.example.com' });
    expect((await send('/v1/models', { origin: 'https://chat.example.com' })).status).toBe(200);
    expect((await send('/v1/models', { origin: EVIL })).status).toBe(401);
  });
});
