/**
 * The admin credential (issue "Access control" §7) over real sockets: ADMIN_PASSWORD (defaulting to
 * PASSWORD) → signed bearer session; logout, expiry (fake clock) and a password change end sessions;
 * tampered tokens are refused; the signing secret is per installation (DATA_DIR/admin-secret, 0600);
 * wrong passwords are throttled per IP; /admin is never CORS-open while the public API is.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../../main/server/admin/admin-sessions';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';

const PASSWORD = 'api-Password-1';
const ADMIN = 'Admin-Passw0rd!';
const START = Date.UTC(2030, 0, 1, 8, 0, 0);

let fake: FakeGemini;
let gw: TestGateway;
let clock = START;

beforeAll(async () => {
  fake = await startFakeGemini();
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    now: () => clock,
    // Trust the loopback "proxy" so each test can act as its own client IP.
    settings: { password: PASSWORD, adminPassword: ADMIN, trustProxy: '127.0.0.1' },
  });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(
  target: TestGateway,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; ip?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.ip ? { 'x-forwarded-for': options.ip } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const login = (target: TestGateway, password: string, ip?: string) =>
  call(target, 'POST', '/admin/api/login', { body: { password }, ...(ip ? { ip } : {}) });

async function signIn(target: TestGateway = gw, password = ADMIN): Promise<string> {
  const reply = await login(target, password);
  expect(reply.status).toBe(200);
  return (reply.body as { token: string }).token;
}

const sessionStatus = async (token: string, target: TestGateway = gw) =>
  (await call(target, 'GET', '/admin/api/session', { token })).status;

const UNAUTHORIZED = { error: { code: 'admin_unauthorized', type: 'invalid_request_error', param: null } };

describe('login', () => {
  it('a wrong password → 401; the right one → a session token that expires in 12 h', async () => {
    const wrong = await login(gw, 'nope', '198.51.100.1');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject(UNAUTHORIZED);

    const right = await login(gw, ADMIN);
    expect(right.status).toBe(200);
    const session = right.body as { token: string; expiresAt: number };
    expect(session.token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(session.expiresAt).toBe(clock + SESSION_TTL_MS);
    expect(await sessionStatus(session.token)).toBe(200);
  });

  it('the API password is not the admin password once ADMIN_PASSWORD is set, nor the reverse', async () => {
    expect((await login(gw, PASSWORD, '198.51.100.2')).status).toBe(401);
    const asApiKey = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(asApiKey.status).toBe(401);
    // Nor is an admin session token an API credential.
    const token = await signIn();
    const withSession = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
    expect(withSession.status).toBe(401);
  });

  it('ADMIN_PASSWORD empty → the admin password is PASSWORD', async () => {
    const other = await startGateway({ upstreamUrl: fake.url, keys: [], settings: { password: PASSWORD } });
    try {
      expect(other.settings.get().adminPassword).toBe('');
      expect((await login(other, PASSWORD)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('an invalid login body → 400, not a crash', async () => {
    const reply = await call(gw, 'POST', '/admin/api/login', { body: { pass: ADMIN } });
    expect(reply.status).toBe(400);
  });

  it('a 1 MB login body → 413 with a JSON error naming the login limit; logins still work', async () => {
    const huge = { password: 'x'.repeat(1024 * 1024) };
    const reply = await call(gw, 'POST', '/admin/api/login', { body: huge, ip: '198.51.100.20' });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('content-type')).toContain('application/json');
    expect(reply.body).toMatchObject({
      error: { code: 'request_too_large', message: 'A login body is at most 16 KiB.' },
    });
    // Also without a Content-Length (chunked): the limit holds while the body streams in.
    const chunked = await fetch(`${gw.url}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.20' },
      body: new Blob([JSON.stringify(huge)]).stream(),
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect((await login(gw, ADMIN, '198.51.100.20')).status).toBe(200);
  });

  it('wrong passwords are throttled per IP: the 6th try gets 429 with Retry-After, even when right', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 5; i++) expect((await login(gw, `guess-${i}`, ip)).status).toBe(401);
    const locked = await login(gw, ADMIN, ip);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({
      error: { code: 'auth_attempts_exceeded', type: 'rate_limit_error' },
    });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another client is not affected; the locked one may try again once the window has passed.
    expect((await login(gw, ADMIN, '203.0.113.51')).status).toBe(200);
    clock += retryAfter * 1000;
    expect((await login(gw, ADMIN, ip)).status).toBe(200);
  });

  it('logs wrong passwords without the password', async () => {
    await login(gw, 'Very-Secret-Guess-9', '198.51.100.3');
    const text = JSON.stringify(gw.core.log.recent());
    expect(text).toContain('admin: wrong password from 198.51.100.3');
    expect(text).not.toContain('Very-Secret-Guess-9');
    expect(text).not.toContain(ADMIN);
  });
});

describe('the session guard', () => {
  it('every /admin/api route except login needs a session', async () => {
    const routes: [string, string][] = [
      ['GET', '/admin/api/session'],
      ['GET', '/admin/api/access-keys'],
      ['POST', '/admin/api/access-keys'],
      ['PATCH', '/admin/api/access-keys/abc'],
      ['DELETE', '/admin/api/access-keys/abc'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'POST' || method === 'PATCH' ? { name: 'x' } : undefined;
      const reply = await call(gw, method, path, body === undefined ? {} : { body });
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.body).toMatchObject(UNAUTHORIZED);
    }
    expect(gw.core.accessKeys.list()).toHaveLength(0);
  });

  it('also when the path is percent-encoded or absolute-form (the router decodes both)', async () => {
    for (const path of ['/%61dmin/api/access-keys', '/admin/%61pi/access-keys', '/admin/api/%61ccess-keys']) {
      expect((await call(gw, 'GET', path)).status, path).toBe(401);
      expect((await call(gw, 'POST', path, { body: { name: 'sneaky' } })).status, path).toBe(401);
    }
    const { connect } = await import('node:net');
    const { hostname, port } = new URL(gw.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.end(
          `GET http://${hostname}/admin/api/access-keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        ),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 401/);
    expect(gw.core.accessKeys.list()).toHaveLength(0);
  });

  it('the token is also accepted as ?token= (EventSource cannot set headers)', async () => {
    const token = await signIn();
    expect((await call(gw, 'GET', `/admin/api/session?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await call(gw, 'GET', '/admin/api/session?token=nope')).status).toBe(401);
  });

  it('tampered, truncated or re-signed tokens are refused', async () => {
    const token = await signIn();
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as { exp: number; sid: string };
    const longer = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 365 * 86_400_000 })).toString(
      'base64url',
    );
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    for (const forged of [
      `${longer}.${signature}`,
      `${body}.${flip(signature)}`,
      `${flip(body)}.${signature}`,
      `${body}.`,
      body,
      `${token}.x`,
      '',
    ]) {
      expect(await sessionStatus(forged), forged).toBe(401);
    }
    expect(await sessionStatus(token)).toBe(200);
  });
});

describe('ending sessions', () => {
  it('logout ends that session and no other', async () => {
    const first = await signIn();
    const second = await signIn();
    expect((await call(gw, 'POST', '/admin/api/logout', { token: first })).status).toBe(200);
    expect(await sessionStatus(first)).toBe(401);
    expect(await sessionStatus(second)).toBe(200);
  });

  it('a session expires after 12 h (fake clock)', async () => {
    const token = await signIn();
    clock += SESSION_TTL_MS - 1000;
    expect(await sessionStatus(token)).toBe(200);
    clock += 1000;
    expect(await sessionStatus(token)).toBe(401);
    expect((await call(gw, 'GET', '/admin/api/access-keys', { token })).status).toBe(401);
  });

  it('changing ADMIN_PASSWORD ends every session; the new password signs in', async () => {
    const token = await signIn();
    gw.settings.update({ adminPassword: 'Another-Admin-2' });
    try {
      expect(await sessionStatus(token)).toBe(401);
      expect((await login(gw, ADMIN, '198.51.100.9')).status).toBe(401);
      const fresh = await signIn(gw, 'Another-Admin-2');
      expect(await sessionStatus(fresh)).toBe(200);
    } finally {
      gw.settings.update({ adminPassword: ADMIN });
    }
  });

  it('with ADMIN_PASSWORD empty, changing PASSWORD ends every session', async () => {
    const other = await startGateway({ upstreamUrl: fake.url, keys: [], settings: { password: PASSWORD } });
    try {
      const token = await signIn(other, PASSWORD);
      other.settings.update({ password: 'rotated-Password-3' });
      expect(await sessionStatus(token, other)).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('the signing secret', () => {
  it('is random per installation, kept in DATA_DIR/admin-secret with mode 0600, and survives a restart', async () => {
    const path = join(gw.dataDir, 'admin-secret');
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);

    const dataDir = mkdtempSync(join(tmpdir(), 'gemgate-admin-secret-'));
    const first = await startGateway({
      upstreamUrl: fake.url,
      keys: [],
      settings: { password: PASSWORD },
      dataDir,
    });
    const second = await startGateway({ upstreamUrl: fake.url, keys: [], settings: { password: PASSWORD } });
    try {
      expect(readFileSync(join(first.dataDir, 'admin-secret'), 'utf8')).not.toBe(
        readFileSync(join(second.dataDir, 'admin-secret'), 'utf8'),
      );
      const token = await signIn(first, PASSWORD);
      // Another installation with the same password does not accept it.
      expect(await sessionStatus(token, second)).toBe(401);

      // The same installation restarted does.
      await first.close();
      const restarted = await startGateway({
        upstreamUrl: fake.url,
        keys: [],
        settings: { password: PASSWORD },
        dataDir,
      });
      try {
        expect(await sessionStatus(token, restarted)).toBe(200);
      } finally {
        await restarted.close();
      }
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('CORS', () => {
  const ORIGIN = 'https://evil.example';

  it('/admin responses carry no access-control-allow-origin, preflight included (encoded paths too)', async () => {
    const token = await signIn();
    const replies = [
      await call(gw, 'GET', '/admin/api/session', { token, headers: { origin: ORIGIN } }),
      await call(gw, 'POST', '/admin/api/login', { body: { password: ADMIN }, headers: { origin: ORIGIN } }),
      await call(gw, 'GET', '/admin/api/access-keys', { headers: { origin: ORIGIN } }),
    ];
    for (const path of [
      '/admin/api/login',
      '/admin/api/access-keys',
      '/%61dmin/api/login',
      '/admin/%61pi/login',
    ]) {
      replies.push(
        await call(gw, 'OPTIONS', path, {
          headers: {
            origin: ORIGIN,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, authorization',
          },
        }),
      );
    }
    replies.push(
      await call(gw, 'POST', '/%61dmin/api/login', {
        body: { password: ADMIN },
        headers: { origin: ORIGIN },
      }),
    );
    for (const reply of replies) {
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
      expect(reply.headers.get('access-control-allow-credentials')).toBeNull();
      expect(reply.headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('the public API stays CORS-open: preflight and responses allow any origin', async () => {
    const preflight = await call(gw, 'OPTIONS', '/v1/chat/completions', {
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const models = await call(gw, 'GET', '/v1/models', { token: PASSWORD, headers: { origin: ORIGIN } });
    expect(models.status).toBe(200);
    expect(models.headers.get('access-control-allow-origin')).toBe('*');
    // A refusal too, so browser clients can read why.
    const refused = await call(gw, 'GET', '/v1/models', { headers: { origin: ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });
});
