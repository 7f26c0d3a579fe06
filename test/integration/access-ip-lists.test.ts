/**
 * IP lists and the client IP (issue "Access control" §3, §4, §8) over real sockets from 127.0.0.1:
 * WHITELIST_IPS lets a client in without a credential, BLACKLIST_IPS refuses it (403) before
 * anything else — a valid password, an access key, the allow list, the auth command, the admin.
 * X-Forwarded-For / X-Real-IP / CF-Connecting-IP count only when TRUST_PROXY trusts the peer, and the
 * chain is walked from the right: a spoofed left-most entry never wins. Other client IPs are
 * simulated by a loopback "proxy" adding X-Forwarded-For; socket peers in other forms (IPv4-mapped
 * IPv6) through app.inject.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import type { FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

const PASSWORD = 'ip-lists-Password-3';
const ALLOWED = '203.0.113.7';
const OUTSIDER = '198.51.100.9';
const BLOCKED = '192.0.2.66';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started), {
  settings: { password: PASSWORD },
  resetSettings: true,
});

const use = (patch: Partial<Settings>) => gw.settings.update(patch);

/** The last log entry id before the latest `send`: its own entry comes after (logged on response). */
let sentAfter = 0;

interface Reply {
  status: number;
  body: { error?: { code?: unknown; status?: unknown; message?: string } };
}

async function send(
  path: string,
  headers: Record<string, string> = {},
  init: { method?: string; body?: unknown } = {},
): Promise<Reply> {
  sentAfter = gw.core.log.recent().at(-1)?.id ?? 0;
  const res = await fetch(`${gw.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...headers, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

/** GET /v1/models with no credential, as the given forwarding headers claim. */
const anonymous = async (headers: Record<string, string>) => (await send('/v1/models', headers)).status;
const via = (xff: string) => ({ 'x-forwarded-for': xff });

const lastLoggedIp = () =>
  vi.waitFor(() => {
    const entry = gw.core.log.recent(Infinity, sentAfter).findLast((e) => e.request?.path === '/v1/models');
    if (!entry?.request) throw new Error('not logged yet');
    return entry.request;
  });

describe('WHITELIST_IPS', () => {
  it('the socket peer on the list needs no credential; off the list it gets the 401', async () => {
    expect(await anonymous({})).toBe(401);
    use({ whitelistIps: ['127.0.0.1'] });
    expect(await anonymous({})).toBe(200);
    const chat = await send(
      '/v1/chat/completions',
      {},
      {
        method: 'POST',
        body: { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }] },
      },
    );
    expect(chat.status).toBe(200);
    expect(generateCalls(fake)).toHaveLength(1);
    for (const list of [
      ['127.0.0.0/8'],
      ['::ffff:127.0.0.1'],
      ['::ffff:127.0.0.0/104'],
      ['10.0.0.0/8', '127.0.0.1/32'],
    ]) {
      use({ whitelistIps: list });
      expect(await anonymous({}), list.join()).toBe(200);
    }
    for (const list of [['127.0.0.2'], ['128.0.0.0/1'], ['::1'], ['::/0']]) {
      use({ whitelistIps: list });
      expect(await anonymous({}), list.join()).toBe(401);
    }
  });

  it('a forged X-Forwarded-For / X-Real-IP / CF-Connecting-IP is ignored while TRUST_PROXY is off', async () => {
    use({ whitelistIps: [ALLOWED], trustProxy: 'false' });
    const forged: Record<string, string>[] = [
      via(ALLOWED),
      via(`${ALLOWED}, ${ALLOWED}`),
      { 'x-real-ip': ALLOWED },
      { 'cf-connecting-ip': ALLOWED },
    ];
    for (const headers of forged) {
      expect(await anonymous(headers), JSON.stringify(headers)).toBe(401);
    }
    expect((await lastLoggedIp()).ip).toBe('127.0.0.1');
  });

  it('behind a trusted proxy the address it adds counts; a spoofed left-most entry does not', async () => {
    use({ whitelistIps: [ALLOWED], trustProxy: '127.0.0.1' });
    expect(await anonymous(via(ALLOWED))).toBe(200);
    expect((await lastLoggedIp()).ip).toBe(ALLOWED);
    // The client sent "X-Forwarded-For: ALLOWED"; the proxy appended the real address.
    expect(await anonymous(via(`${ALLOWED}, ${OUTSIDER}`))).toBe(401);
    expect((await lastLoggedIp()).ip).toBe(OUTSIDER);
    // Two header lines are one list, in order.
    const res = await fetch(`${gw.url}/v1/models`, {
      headers: [
        ['x-forwarded-for', ALLOWED],
        ['x-forwarded-for', OUTSIDER],
      ],
    });
    expect(res.status).toBe(401);
    // Single-value headers, when the proxy sends no X-Forwarded-For.
    expect(await anonymous({ 'x-real-ip': ALLOWED })).toBe(200);
    expect(await anonymous({ 'cf-connecting-ip': ALLOWED })).toBe(200);
  });

  it('TRUST_PROXY=true trusts internal hops only: past a private proxy, up to the first public address', async () => {
    use({ whitelistIps: [ALLOWED], trustProxy: 'true' });
    expect(await anonymous(via(`${ALLOWED}, 10.1.2.3, 172.16.0.4`))).toBe(200);
    expect(await anonymous(via(`${ALLOWED}, ${OUTSIDER}, 10.1.2.3`))).toBe(401);
    // A forged internal address is not a way in when the list holds only public ones.
    use({ whitelistIps: ['10.0.0.0/8'], trustProxy: 'true' });
    expect(await anonymous(via(`10.9.9.9, ${OUTSIDER}`))).toBe(401);
  });

  it('TRUST_PROXY as a hop count trusts exactly that many hops, the socket peer first', async () => {
    use({ whitelistIps: [ALLOWED], trustProxy: '2' });
    expect(await anonymous(via(`1.1.1.1, ${ALLOWED}, ${OUTSIDER}`))).toBe(200);
    use({ trustProxy: '1' });
    expect(await anonymous(via(`1.1.1.1, ${ALLOWED}, ${OUTSIDER}`))).toBe(401);
    expect((await lastLoggedIp()).ip).toBe(OUTSIDER);
  });

  it('TRUST_PROXY as a CIDR list trusts hops in those ranges only', async () => {
    use({ whitelistIps: [ALLOWED], trustProxy: '127.0.0.0/8, 198.51.100.0/24' });
    expect(await anonymous(via(`1.1.1.1, ${ALLOWED}, ${OUTSIDER}`))).toBe(200);
    use({ trustProxy: '10.0.0.0/8' }); // the loopback peer is not a trusted proxy: headers ignored
    expect(await anonymous(via(ALLOWED))).toBe(401);
  });

  it('IPv6 ranges and IPv4-mapped IPv6 on either side', async () => {
    use({ whitelistIps: ['2001:db8::/32', '::ffff:198.51.100.0/120'], trustProxy: 'true' });
    expect(await anonymous(via('2001:db8:1::5'))).toBe(200);
    expect(await anonymous(via('2001:db9::5'))).toBe(401);
    expect(await anonymous(via('198.51.100.20'))).toBe(200);
    use({ whitelistIps: [ALLOWED] });
    expect(await anonymous(via(`::ffff:${ALLOWED}`))).toBe(200);
    expect((await lastLoggedIp()).ip).toBe(ALLOWED);

    // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
    use({ whitelistIps: [ALLOWED], trustProxy: 'false' });
    const mapped = await gw.app.inject({ url: '/v1/models', remoteAddress: `::ffff:${ALLOWED}` });
    expect(mapped.statusCode).toBe(200);
    const v6 = await gw.app.inject({ url: '/v1/models', remoteAddress: '2001:db8::1' });
    expect(v6.statusCode).toBe(401);
  });

  it('a list change applies to the next request', async () => {
    use({ whitelistIps: ['127.0.0.1'] });
    expect(await anonymous({})).toBe(200);
    use({ whitelistIps: [] });
    expect(await anonymous({})).toBe(401);
  });
});

describe('BLACKLIST_IPS: 403 before anything else', () => {
  const CHAT = { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: `auth ${PASSWORD}` }] };

  it('beats a valid password, in OpenAI shape on /v1 and Gemini shape on native routes', async () => {
    use({ blacklistIps: [BLOCKED], trustProxy: '127.0.0.1' });
    const auth = { authorization: `Bearer ${PASSWORD}`, ...via(BLOCKED) };
    const openai = await send('/v1/chat/completions', auth, { method: 'POST', body: CHAT });
    expect(openai.status).toBe(403);
    expect(openai.body).toEqual({
      error: {
        message: expect.stringMatching(/blocked/) as unknown,
        type: 'permission_error',
        param: null,
        code: 'ip_blocked',
      },
    });
    const gemini = await send('/v1beta/models', { 'x-goog-api-key': PASSWORD, ...via(BLOCKED) });
    expect(gemini).toEqual({
      status: 403,
      body: { error: { code: 403, message: expect.any(String) as unknown, status: 'PERMISSION_DENIED' } },
    });
    expect(fake.requests).toHaveLength(0);
    // The same client from an address not on the list gets in.
    expect((await send('/v1/models', { authorization: `Bearer ${PASSWORD}`, ...via(OUTSIDER) })).status).toBe(
      200,
    );
  });

  it('beats an access key (without using it up), the allow list, the auth command and the admin', async () => {
    use({ blacklistIps: ['192.0.2.0/24'], whitelistIps: [BLOCKED], trustProxy: '127.0.0.1' });
    const { key, record } = gw.core.accessKeys.create({ name: 'blocked-user', limit: 1 });
    expect((await send('/v1/models', { authorization: `Bearer ${key}`, ...via(BLOCKED) })).status).toBe(403);
    expect(await anonymous(via(BLOCKED))).toBe(403);
    const auth = await send('/v1/chat/completions', via(BLOCKED), { method: 'POST', body: CHAT });
    expect(auth.status).toBe(403);
    expect(gw.core.authorisedIps.isAuthorised(BLOCKED)).toBe(false);
    const login = await send('/admin/api/login', via(BLOCKED), {
      method: 'POST',
      body: { password: PASSWORD },
    });
    expect(login.status).toBe(403);
    expect((await send('/health', via(BLOCKED))).status).toBe(403);
    expect(gw.core.accessKeys.list().find((k) => k.id === record.id)?.used).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('with TRUST_PROXY off the socket peer is judged, whatever the headers claim', async () => {
    use({ blacklistIps: ['127.0.0.1'] });
    expect((await send('/v1/models', { authorization: `Bearer ${PASSWORD}`, ...via(OUTSIDER) })).status).toBe(
      403,
    );
    use({ blacklistIps: [OUTSIDER] });
    expect((await send('/v1/models', { authorization: `Bearer ${PASSWORD}`, ...via(OUTSIDER) })).status).toBe(
      200,
    );
  });

  it('IPv6 and mapped entries block the matching peers', async () => {
    use({ blacklistIps: ['2001:db8::/48', '::ffff:192.0.2.0/120'], trustProxy: 'true' });
    expect(await anonymous(via('2001:db8:0:1::1'))).toBe(403);
    expect(await anonymous(via('2001:db8:1::1'))).toBe(401);
    expect(await anonymous(via(BLOCKED))).toBe(403);
    expect(await anonymous(via(`::ffff:${BLOCKED}`))).toBe(403);
  });

  it('the refusal is logged as ip_blocked with the client IP', async () => {
    use({ blacklistIps: [BLOCKED], trustProxy: '127.0.0.1' });
    await send('/v1/models', { authorization: `Bearer ${PASSWORD}`, ...via(BLOCKED) });
    expect(await lastLoggedIp()).toMatchObject({ ip: BLOCKED, status: 403, errorCode: 'ip_blocked' });
    expect(JSON.stringify(gw.core.log.recent())).not.toContain(PASSWORD);
  });
});
