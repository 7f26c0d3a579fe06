/** `npm run keys`: manages access keys on DATA_DIR when no gateway runs, and through its admin API when one does. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway } from '../support/gateway';
import { buildEntry } from '../support/headless-process';

const run = promisify(execFile);

const cli = async (args: string[], env: Record<string, string>) => {
  const { stdout, stderr } = await run(process.execPath, [await buildEntry('keys-cli'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { stdout, stderr };
};

const chat = (url: string, key: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] }),
  });

let fake: FakeGemini;
let scratch: string;
beforeAll(async () => {
  fake = await startFakeGemini();
  scratch = mkdtempSync(join(tmpdir(), 'gemgate-cli-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('keys CLI', () => {
  it('edits DATA_DIR when no gateway runs, and the gateway then honours the key', async () => {
    const dataDir = join(scratch, 'offline');
    const env = { DATA_DIR: dataDir, PORT: '9' };
    const created = await cli(['create', '--name', 'alice', '--limit', '1'], env);
    expect(created.stderr).toContain('editing');
    const key = /^(sk-[A-Za-z0-9]{48})$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();

    const gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY], settings: { dataDir } });
    try {
      expect((await chat(gw.url, key!)).status).toBe(200);
      const second = await chat(gw.url, key!);
      expect(second.status).toBe(401);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('access_key_exhausted');
    } finally {
      await gw.close();
    }
  });

  it('goes through the admin API of a running gateway, which sees the change at once', async () => {
    const gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { adminPassword: 'adm1n-pw' },
    });
    try {
      const env = { ADMIN_PASSWORD: 'adm1n-pw', DATA_DIR: join(scratch, 'unused') };
      const created = await cli(['create', '--name', 'bob', '--url', gw.url], env);
      expect(created.stderr).toContain('via the running gateway');
      const key = /^(sk-[A-Za-z0-9]{48})$/m.exec(created.stdout)?.[1];
      expect((await chat(gw.url, key!)).status).toBe(200);

      const id = gw.core.accessKeys.list()[0]!.id;
      await cli(['disable', id, '--url', gw.url], env);
      const refused = await chat(gw.url, key!);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('access_key_disabled');

      const listed = await cli(['list', '--url', gw.url], env);
      expect(listed.stdout).toMatch(/bob\s+sk-\w{4}…\w{4}\s+disabled\s+1\/∞/);
      expect(listed.stdout).not.toContain(key!);
    } finally {
      await gw.close();
    }
  });

  it('fails clearly on a wrong admin password', async () => {
    const gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { adminPassword: 'right-pw' },
    });
    try {
      await expect(cli(['list', '--url', gw.url], { ADMIN_PASSWORD: 'wrong-pw' })).rejects.toMatchObject({
        stderr: expect.stringContaining('admin login failed (401)'),
      });
    } finally {
      await gw.close();
    }
  });
});
