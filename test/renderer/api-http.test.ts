/** The web admin's HTTP client: requests derived from ADMIN_HTTP, errors mapped to AdminError. */
import { describe, expect, it, vi } from 'vitest';
import { ADMIN_HTTP, type AdminMethod } from '../../shared/admin-transport';
import { AdminError } from '../../renderer/lib/admin-error';
import {
  apiBaseOf,
  buildRequest,
  createHttpAdmin,
  errorFromBody,
  login,
  type FetchLike,
  type HttpResponseLike,
} from '../../renderer/lib/api-http';

const opts = { base: '', token: 'tok' };
const req = (method: AdminMethod, ...args: unknown[]) => buildRequest(method, args, opts);
const bodyOf = (method: AdminMethod, ...args: unknown[]): unknown =>
  JSON.parse(req(method, ...args).body ?? 'null');

const response = (status: number, body: string, statusText = ''): HttpResponseLike => ({
  ok: status >= 200 && status < 300,
  status,
  statusText,
  text: async () => body,
});

function fakeFetch(answer: HttpResponseLike | Error) {
  const calls: { url: string; init: Parameters<FetchLike>[1] }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

describe('buildRequest', () => {
  it('uses the method and path of ADMIN_HTTP for every contract method', () => {
    for (const [method, route] of Object.entries(ADMIN_HTTP) as [
      AdminMethod,
      (typeof ADMIN_HTTP)[AdminMethod],
    ][]) {
      const args = route.path.includes(':id') ? ['the-id'] : [];
      const built = req(method, ...args);
      expect(built.method).toBe(route.method);
      expect(built.url.split('?')[0]).toBe(route.path.replace(':id', 'the-id'));
    }
  });

  it('sends the session token as a Bearer header, and none without a session', () => {
    expect(req('getStatus').headers.authorization).toBe('Bearer tok');
    expect(buildRequest('getStatus', [], { base: '', token: null }).headers.authorization).toBeUndefined();
  });

  it('puts GET arguments in the query: positional, or the properties of one object', () => {
    expect(req('getUsage', '7d').url).toBe('/admin/api/usage?range=7d');
    expect(req('getLogs', 42).url).toBe('/admin/api/logs?after=42');
    expect(req('getLogs').url).toBe('/admin/api/logs');
    expect(req('listImages', { offset: 48, limit: 24 }).url).toBe('/admin/api/images?offset=48&limit=24');
    expect(req('listImages', { limit: 10 }).url).toBe('/admin/api/images?limit=10');
    expect(req('getUsage', '24h').body).toBeUndefined();
  });

  it('fills :id from the first argument, encoded, and sends the rest as the body', () => {
    const built = req('setKeyEnabled', 'k/1 2', false);
    expect(built).toMatchObject({ method: 'PATCH', url: '/admin/api/keys/k%2F1%202' });
    expect(JSON.parse(built.body ?? '')).toEqual({ enabled: false });
    expect(bodyOf('updateAccessKey', 'ak1', { limit: null, resetUsage: true })).toEqual({
      limit: null,
      resetUsage: true,
    });
  });

  it('refuses an :id route without an id', () => {
    expect(() => req('revokeAccessKey')).toThrow(AdminError);
    expect(() => req('setKeyEnabled', '', true)).toThrow(/id/);
  });

  it('wraps positional arguments in their named body fields', () => {
    expect(bodyOf('addKeys', 'AIza1 AIza2')).toEqual({ text: 'AIza1 AIza2' });
    expect(bodyOf('removeKeys', ['a', 'b'])).toEqual({ ids: ['a', 'b'] });
    expect(bodyOf('checkKeys', ['a'])).toEqual({ ids: ['a'] });
    expect(bodyOf('checkKeys')).toEqual({}); // "check all": a JSON body all the same
    expect(bodyOf('resetSettings', ['port'])).toEqual({ keys: ['port'] });
    expect(bodyOf('revealSecret', 'password')).toEqual({ key: 'password' });
    expect(bodyOf('deleteImages', ['i1'])).toEqual({ ids: ['i1'] });
  });

  it('sends a single object argument as the body itself', () => {
    expect(bodyOf('updateSettings', { port: 8080, password: 'x' })).toEqual({ port: 8080, password: 'x' });
    expect(bodyOf('createAccessKey', { name: 'alice', limit: 10 })).toEqual({ name: 'alice', limit: 10 });
  });

  it('sets a JSON content type only when there is a body', () => {
    expect(req('addKeys', 'k').headers['content-type']).toBe('application/json');
    const del = req('revokeAccessKey', 'ak1');
    expect(del).toMatchObject({ method: 'DELETE', url: '/admin/api/access-keys/ak1' });
    expect(del.body).toBeUndefined();
    expect(del.headers['content-type']).toBeUndefined();
    expect(req('clearLogs').body).toBeUndefined();
  });

  it('prefixes the path when the gateway is mounted under a sub-path', () => {
    expect(buildRequest('getStatus', [], { base: '/gw', token: null }).url).toBe('/gw/admin/api/status');
  });
});

describe('createHttpAdmin', () => {
  const client = (answer: HttpResponseLike | Error, onUnauthorized = vi.fn()) => {
    const fake = fakeFetch(answer);
    const admin = createHttpAdmin({ base: '', fetch: fake.fetch, token: () => 'tok', onUnauthorized });
    return { admin, calls: fake.calls, onUnauthorized };
  };

  it('sends what buildRequest built and returns the parsed JSON', async () => {
    const { admin, calls } = client(response(200, '{"version":"0.1.0"}'));
    await expect(admin.getStatus()).resolves.toEqual({ version: '0.1.0' });
    expect(calls[0]).toMatchObject({ url: '/admin/api/status', init: { method: 'GET' } });
  });

  it('unwraps { value } for revealSecret', async () => {
    const { admin } = client(response(200, '{"value":"s3cret"}'));
    await expect(admin.revealSecret('password')).resolves.toBe('s3cret');
  });

  it('resolves to undefined on 204 No Content', async () => {
    const { admin } = client(response(204, ''));
    await expect(admin.revokeAccessKey('ak1')).resolves.toBeUndefined();
  });

  it('maps the {"error":{…}} body to AdminError { status, code, message }', async () => {
    const body = JSON.stringify({
      error: { message: "No access key with id 'x'.", type: 'x', code: 'not_found' },
    });
    const { admin, onUnauthorized } = client(response(404, body, 'Not Found'));
    const err = await admin.updateAccessKey('x', { enabled: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: "No access key with id 'x'." });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('signs out on 401 admin_unauthorized', async () => {
    const body = JSON.stringify({ error: { message: 'Sign in first', code: 'admin_unauthorized' } });
    const { admin, onUnauthorized } = client(response(401, body));
    await expect(admin.listKeys()).rejects.toMatchObject({ status: 401, code: 'admin_unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('keeps the status line when the error body is not JSON', async () => {
    const { admin } = client(response(502, '<html>Bad gateway</html>', 'Bad Gateway'));
    await expect(admin.getStatus()).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
      message: 'Bad Gateway',
    });
  });

  it('turns a failed fetch into a network_error', async () => {
    const { admin } = client(new TypeError('Failed to fetch'));
    await expect(admin.getStatus()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('login', () => {
  it('posts the password and returns the session', async () => {
    const { fetch, calls } = fakeFetch(response(200, '{"token":"t1","expiresAt":123}'));
    await expect(login(fetch, '', 'pw')).resolves.toEqual({ token: 't1', expiresAt: 123 });
    expect(calls[0]?.url).toBe('/admin/api/login');
    expect(JSON.parse(calls[0]?.init.body ?? '')).toEqual({ password: 'pw' });
    expect(calls[0]?.init.headers.authorization).toBeUndefined();
  });

  it('reports a wrong password as the server worded it', async () => {
    const body = JSON.stringify({ error: { message: 'Wrong admin password.', code: 'admin_unauthorized' } });
    const { fetch } = fakeFetch(response(401, body));
    await expect(login(fetch, '', 'nope')).rejects.toMatchObject({
      status: 401,
      message: 'Wrong admin password.',
    });
  });
});

describe('errorFromBody / apiBaseOf', () => {
  it('falls back to the status when the body says nothing useful', () => {
    expect(errorFromBody(500, '', '{"error":{}}')).toMatchObject({ code: 'http_500', message: 'HTTP 500' });
  });

  it('finds the prefix in front of /admin/', () => {
    expect(apiBaseOf('/admin/')).toBe('');
    expect(apiBaseOf('/admin/index.html')).toBe('');
    expect(apiBaseOf('/gemgate/admin/')).toBe('/gemgate');
    expect(apiBaseOf('/')).toBe('');
  });
});
