/**
 * What the Docker image does, without Docker: a clean copy of the repository with production
 * dependencies only (`npm ci --omit=dev`), the server bundle from the build stage, started with only
 * the Python proxy's environment variables in front of a fake Gemini. Proves that nothing the running
 * server needs is a dev dependency, and the headless operations of the deployment issue: chat, a
 * graceful SIGTERM during a stream, state surviving a restart, .env files, /metrics.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { listeningPort, startHeadless, type HeadlessProcess } from '../support/headless-process';

const REPO = process.cwd();
let copy: string;
let fake: FakeGemini;
const running = new Set<HeadlessProcess>();

/** The files git would ship (tracked, or new and not ignored): a fresh clone's content. */
function cleanCopy(): string {
  const target = mkdtempSync(join(tmpdir(), 'gemgate-prod-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && existsSync(join(REPO, f)));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(REPO, file), join(target, file));
  }
  return target;
}

const seedEnv = (dataDir: string, extra: Record<string, string> = {}) => ({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  PROXY_URL: fake.url,
  GEMINI_API_KEYS: DEFAULT_FAKE_KEY,
  PASSWORD: 'seed-password',
  MAX_REQUESTS_PER_MINUTE: '100',
  MAX_REQUESTS_PER_DAY_PER_IP: '1000',
  HISTORY_IMAGE_SUBMIT_TYPE: 'last',
  IMAGE_STORAGE_TYPE: 'memory',
  ...extra,
});

async function start(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ proc: HeadlessProcess; url: string }> {
  const proc = await startHeadless(env, { entry: join(copy, 'dist/headless.mjs'), cwd: copy, args });
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  return { proc, url: `http://127.0.0.1:${await listeningPort(proc)}` };
}

const client = (url: string, apiKey = 'seed-password') =>
  new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 });

const adminToken = async (url: string, password: string) => {
  const res = await fetch(`${url}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
};

beforeAll(async () => {
  fake = await startFakeGemini();
  copy = cleanCopy();
  // As the image's runtime stage: production dependencies only (from npm's cache when it has them).
  execFileSync(
    'npm',
    ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd: copy,
      stdio: 'ignore',
    },
  );
  expect(existsSync(join(copy, 'node_modules/fastify'))).toBe(true);
  expect(existsSync(join(copy, 'node_modules/vitest'))).toBe(false);
  expect(existsSync(join(copy, 'node_modules/electron'))).toBe(false);
  // As the image's build stage: the bundle, built with the dev tools, copied in.
  execFileSync(process.execPath, ['scripts/build.mjs', 'headless', `--out=${copy}`], {
    cwd: REPO,
    stdio: 'ignore',
  });
  execFileSync(process.execPath, ['scripts/build-renderer.mjs', '--quiet', `--out=${copy}`], {
    cwd: REPO,
    stdio: 'ignore',
  });
}, 240_000);

afterAll(async () => {
  for (const proc of running) proc.child.kill('SIGKILL');
  await fake.close();
  rmSync(copy, { recursive: true, force: true });
});

describe('the production build from a clean copy', () => {
  it('serves chat with only the seed-style environment variables', async () => {
    const { proc, url } = await start(seedEnv(join(copy, 'data-chat')));
    const reply = await client(url).chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hello from production' }],
    });
    expect(reply.choices[0]?.message.content).toContain('hello from production');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('SIGTERM during a stream: the stream finishes, new connections are refused, the process exits 0', async () => {
    const { proc, url } = await start(seedEnv(join(copy, 'data-sigterm')));
    fake.script(() => ({ kind: 'slow', delayMs: 250, chunks: 4, text: 'one two three four' }));
    try {
      const stream = await client(url).chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'take your time' }],
        stream: true,
      });
      const parts: string[] = [];
      let signalled = false;
      for await (const chunk of stream) {
        parts.push(chunk.choices[0]?.delta.content ?? '');
        if (!signalled && parts.join('').length > 0) {
          signalled = true;
          proc.child.kill('SIGTERM');
          await proc.waitForOutput('SIGTERM received');
          await expect(fetch(`${url}/health`)).rejects.toThrow();
        }
      }
      expect(signalled).toBe(true);
      expect(parts.join('')).toBe('one two three four');
      expect(await proc.exited).toBe(0);
    } finally {
      fake.script(() => undefined);
    }
  });

  it('keeps admin-saved settings, access-key counts and usage across a restart', async () => {
    const dataDir = join(copy, 'data-restart');
    const first = await start(seedEnv(dataDir));
    const token = await adminToken(first.url, 'seed-password');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = (await (
      await fetch(`${first.url}/admin/api/access-keys`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'friend', limit: 5 }),
      })
    ).json()) as { key: string; record: { id: string } };
    await client(first.url, created.key).chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'counted' }],
    });
    const saved = await fetch(`${first.url}/admin/api/settings`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ extraModels: ['my-extra-model'] }),
    });
    expect(saved.status).toBe(200);
    first.proc.child.kill('SIGTERM');
    expect(await first.proc.exited).toBe(0);

    const second = await start(seedEnv(dataDir));
    const token2 = await adminToken(second.url, 'seed-password');
    const get = async (path: string) =>
      (await fetch(`${second.url}${path}`, { headers: { authorization: `Bearer ${token2}` } })).json();
    const keys = (await get('/admin/api/access-keys')) as { id: string; used: number }[];
    expect(keys.find((k) => k.id === created.record.id)?.used).toBe(1);
    const view = (await get('/admin/api/settings')) as {
      values: { extraModels: string[] };
      overridden: string[];
    };
    expect(view.values.extraModels).toEqual(['my-extra-model']);
    expect(view.overridden).toContain('extraModels');
    const usage = (await get('/admin/api/usage?range=24h')) as { total: { requests: number } };
    expect(usage.total.requests).toBe(1);
    second.proc.child.kill('SIGTERM');
    expect(await second.proc.exited).toBe(0);
  });

  it('reads ./.env and --env-file; the real environment wins over the file', async () => {
    const dataDir = join(copy, 'data-env');
    writeFileSync(
      join(copy, '.env'),
      `PASSWORD=from-dot-env\nMAX_REQUESTS_PER_MINUTE=0\nDATA_DIR=${dataDir}\n`,
    );
    try {
      const { PASSWORD: _omit, ...withoutPassword } = seedEnv(dataDir);
      const a = await start(withoutPassword);
      expect(a.proc.output()).toContain('Environment read from .env');
      expect((await client(a.url, 'from-dot-env').models.list()).data.length).toBeGreaterThan(0);
      a.proc.child.kill('SIGTERM');
      expect(await a.proc.exited).toBe(0);

      const b = await start(seedEnv(dataDir)); // PASSWORD set in the environment: it wins
      await expect(client(b.url, 'from-dot-env').models.list()).rejects.toMatchObject({ status: 401 });
      expect((await client(b.url, 'seed-password').models.list()).data.length).toBeGreaterThan(0);
      b.proc.child.kill('SIGTERM');
      await b.proc.exited;

      const other = join(copy, 'other.env');
      writeFileSync(other, 'PASSWORD=from-other-file\n');
      const c = await start(withoutPassword, ['--env-file', other]);
      expect((await client(c.url, 'from-other-file').models.list()).data.length).toBeGreaterThan(0);
      c.proc.child.kill('SIGTERM');
      await c.proc.exited;
    } finally {
      rmSync(join(copy, '.env'), { force: true });
    }
  });

  it('serves /metrics only with the admin credential', async () => {
    const { proc, url } = await start(
      seedEnv(join(copy, 'data-metrics'), { ADMIN_PASSWORD: 'metrics-admin' }),
    );
    await client(url).models.list();
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer seed-password' } })).status,
    ).toBe(401);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-admin' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/gemgate_http_requests_total\{route="\/v1\/models",method="GET",status="200"\} 1/);
    expect(text).toMatch(/gemgate_keys\{state="active"\} 1/);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('the `gemgate` command serves the API and the web admin from any working directory', async () => {
    // As `npx gemgate` / a global install: the bin script, started outside the package folder. Without
    // the build tools (production dependencies only) it runs the shipped bundle as it is.
    const elsewhere = mkdtempSync(join(tmpdir(), 'gemgate-cwd-'));
    try {
      const proc = await startHeadless(seedEnv(join(elsewhere, 'data')), {
        entry: join(copy, 'bin/gemgate.mjs'),
        cwd: elsewhere,
      });
      running.add(proc);
      const url = `http://127.0.0.1:${await listeningPort(proc)}`;
      const page = await fetch(`${url}/admin/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="app"');
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${url}/admin/${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      // Read to the end: an unread body keeps the connection busy, and SIGTERM waits for it.
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      const models = await client(url).models.list();
      expect(models.data.length).toBeGreaterThan(0);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('answers --help with every setting and --version', async () => {
    const help = execFileSync(process.execPath, [join(copy, 'dist/headless.mjs'), '--help'], {
      cwd: copy,
      encoding: 'utf8',
    });
    expect(help).toContain('GEMINI_API_KEYS');
    expect(help).toContain('--env-file');
    const version = execFileSync(process.execPath, [join(copy, 'dist/headless.mjs'), '--version'], {
      cwd: copy,
      encoding: 'utf8',
    });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
