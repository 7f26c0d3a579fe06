/**
 * The web admin's files at /admin/ (a tiny stand-in for dist/renderer in a temp folder): open without
 * a session (the login page must load) while the API stays guarded, hashed assets cached for a year,
 * index.html revalidated, /admin redirected so relative asset URLs resolve, never CORS-open, and a
 * 404 that says how to build it when there is no build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HTTP } from '../../shared/admin-transport';
import { settingsDefaults } from '../../shared/settings-schema';
import { createGatewayCore, type GatewayCore } from '../../main/server/core';
import { createServer } from '../../main/server/create-server';
import { NOT_BUILT_MESSAGE } from '../../main/server/routes/admin/renderer-static';
import { MemorySettingsSource } from '../../main/server/settings/settings-source';
import { errorOf, rawCall, signIn } from './admin-http-client';

const INDEX =
  '<!doctype html><title>Gemgate</title><script type="module" src="./assets/index-Ab12Cd.js"></script>';
const SCRIPT = 'console.log("admin");';
const ORIGIN = { origin: 'https://evil.example' };

interface Served {
  url: string;
  close(): Promise<void>;
}

const scratch = mkdtempSync(join(tmpdir(), 'gemgate-renderer-'));

/** The real server (core + createServer) on 127.0.0.1:0 with the given renderer folder. */
async function serve(rendererDir: string): Promise<Served> {
  const dataDir = mkdtempSync(join(scratch, 'data-'));
  const core: GatewayCore = createGatewayCore({
    settings: new MemorySettingsSource({
      ...settingsDefaults('headless'),
      dataDir,
      password: 'api-Password-1',
      keyCheckIntervalMinutes: 0,
    }),
    version: 'test',
  });
  const app: FastifyInstance = await createServer(core, { rendererDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await core.close();
    },
  };
}

let built: Served;
let unbuilt: Served;

beforeAll(async () => {
  const dir = join(scratch, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd.js'), SCRIPT);
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  built = await serve(dir);
  unbuilt = await serve(join(scratch, 'missing'));
});
afterAll(async () => {
  await built.close();
  await unbuilt.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the built web admin at /admin/', () => {
  it('serves index.html without a session, revalidated on every load, not frameable', async () => {
    for (const path of ['/admin/', '/admin/index.html']) {
      const reply = await rawCall(built.url, 'GET', path, { headers: ORIGIN });
      expect(reply.status, path).toBe(200);
      expect(reply.text).toBe(INDEX);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      expect(reply.headers.get('cache-control')).toBe('no-cache');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('/admin redirects to /admin/ (relative, so sub-path proxies work too)', async () => {
    const res = await fetch(`${built.url}/admin`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('admin/');
    const followed = await fetch(`${built.url}/admin`);
    expect(followed.url).toBe(`${built.url}/admin/`);
    expect(await followed.text()).toBe(INDEX);
  });

  it('serves hashed assets with a year of immutable caching', async () => {
    const reply = await rawCall(built.url, 'GET', '/admin/assets/index-Ab12Cd.js');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(SCRIPT);
    expect(reply.headers.get('content-type')).toMatch(/javascript/);
    expect(reply.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('unknown files, dotfiles and traversal get a JSON 404', async () => {
    for (const path of [
      '/admin/assets/nope.js',
      '/admin/.env',
      '/admin/..%2fpackage.json',
      '/admin/assets%2f..%2f..%2fpackage.json',
    ]) {
      const reply = await rawCall(built.url, 'GET', path, { headers: ORIGIN });
      expect(reply.status, path).toBe(404);
      expect(reply.text).not.toContain('SECRET');
      expect(reply.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('the API beside it still needs a session: every ADMIN_HTTP route answers 401 without one', async () => {
    for (const route of Object.values(ADMIN_HTTP)) {
      const path = route.path.replace(':id', 'abc');
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const reply = await rawCall(built.url, route.method, path, body === undefined ? {} : { body });
      expect(reply.status, `${route.method} ${path}`).toBe(401);
      expect(errorOf(reply).code).toBe('admin_unauthorized');
    }
  });

  it('and every ADMIN_HTTP route exists once signed in (none answers "Unknown route")', async () => {
    const client = await signIn(built.url, 'api-Password-1');
    for (const route of Object.values(ADMIN_HTTP)) {
      const path = route.path.replace(':id', 'abc');
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const reply = await client.raw(route.method, path, body);
      expect(reply.status, `${route.method} ${path}`).toBeLessThan(500);
      if (reply.status === 404) expect(errorOf(reply).message).not.toMatch(/^Unknown route/);
    }
  });
});

describe('without a build', () => {
  it('/admin/ answers a 404 that says how to build the web admin; the API still works', async () => {
    const reply = await rawCall(unbuilt.url, 'GET', '/admin/');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(NOT_BUILT_MESSAGE);
    expect(reply.text).toContain('npm run build:renderer');
    expect((await rawCall(unbuilt.url, 'GET', '/admin/api/status')).status).toBe(401);
    const client = await signIn(unbuilt.url, 'api-Password-1');
    expect((await client.admin.getStatus()).mode).toBe('headless');
  });
});
