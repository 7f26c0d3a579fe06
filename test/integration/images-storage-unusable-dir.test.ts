/**
 * A local image folder the gateway cannot create (here: below a regular file, ENOTDIR — in Docker,
 * EACCES under a root-owned /app) never stops the server, with the real headless process: it
 * listens, /health names the problem under images.problem, images come back inline, and the log
 * says which folder. Saving such a folder in the web admin is no 500, the problem shows at once,
 * and the next start (with the saved value) still listens.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startHeadless, type HeadlessProcess } from '../support/headless-process';
import { signIn } from './admin-http-client';

const ADMIN = 'Admin-Password-unusable-dir-1';
const PASSWORD = 'gateway-password-unusable-dir-1';
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const PROBLEM = /^Local storage cannot use its image folder \(E[A-Z]+\)/;

let fake: FakeGemini;
let scratch: string;
let badDir: string;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gemgate-unusable-dir-'));
  writeFileSync(join(scratch, 'a-file'), 'not a folder');
  badDir = join(scratch, 'a-file', 'images');
  return () => rmSync(scratch, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: join(scratch, 'data'),
  PROXY_URL: fake.url,
  GEMINI_API_KEYS: DEFAULT_FAKE_KEY,
  PASSWORD,
  ADMIN_PASSWORD: ADMIN,
  KEY_CHECK_INTERVAL_MINUTES: '0',
  ...extra,
});

/** Starts the headless server, runs `body` against it, stops it with SIGTERM (exit 0). */
async function withServer(
  vars: Record<string, string>,
  body: (url: string, proc: HeadlessProcess) => Promise<void>,
): Promise<void> {
  const proc = await startHeadless(vars);
  try {
    await proc.waitForOutput(LISTENING);
    await body(`http://127.0.0.1:${LISTENING.exec(proc.output())![1]}`, proc);
  } finally {
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }
}

async function imagesHealth(url: string): Promise<{ storage: string; problem: string | null }> {
  const res = await fetch(`${url}/health`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { images: { storage: string; problem: string | null } }).images;
}

describe('IMAGE_STORAGE_TYPE=local with a folder that cannot be created', () => {
  it('at start: listens, reports images.problem on /health, returns images inline', async () => {
    await withServer(env({ IMAGE_STORAGE_TYPE: 'local', IMAGE_STORAGE_DIR: badDir }), async (url, proc) => {
      const images = await imagesHealth(url);
      expect(images.storage).toBe('local');
      expect(images.problem).toMatch(PROBLEM);
      expect(images.problem).not.toContain(scratch); // /health is open: no paths
      expect(proc.output()).toContain(badDir); // the log says which folder

      const openai = new OpenAI({ apiKey: PASSWORD, baseURL: `${url}/v1` });
      const drawn = await openai.images.generate({ prompt: 'a cat' });
      expect(drawn.data?.[0]?.url).toMatch(/^data:image\/png;base64,/);
    });
  });

  it('saved in the web admin: no 500, the problem shows at once, and the next start still listens', async () => {
    await withServer(env(), async (url) => {
      const { admin } = await signIn(url, ADMIN);
      const saved = await admin.updateSettings({ imageStorageType: 'local', imageStorageDir: badDir });
      expect(saved.settings.values.imageStorageDir).toBe(badDir);
      expect((await imagesHealth(url)).problem).toMatch(PROBLEM);
    });

    await withServer(env(), async (url) => {
      expect(await imagesHealth(url)).toMatchObject({
        storage: 'local',
        problem: expect.stringMatching(PROBLEM),
      });
      // Pointing it at a usable folder fixes it without a restart.
      const good = join(scratch, 'usable');
      mkdirSync(good);
      const { admin } = await signIn(url, ADMIN);
      await admin.updateSettings({ imageStorageDir: good });
      expect(await imagesHealth(url)).toEqual({ storage: 'local', problem: null });
    });
  });
});
