/** The headless composition root as a real process: configuration errors, folders, health, SIGTERM. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { listeningPort, startHeadless } from '../support/headless-process';

let fake: FakeGemini;
let scratch: string;

beforeAll(async () => {
  fake = await startFakeGemini();
  scratch = mkdtempSync(join(tmpdir(), 'gemgate-headless-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('headless server process', () => {
  it('refuses to start on an invalid variable and names it', async () => {
    const proc = await startHeadless({
      PORT: 'eighty',
      GEMINI_429_RETRIES: '-2',
      DATA_DIR: join(scratch, 'bad'),
    });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain('PORT: expected a whole number, got "eighty"');
    expect(proc.output()).toContain('GEMINI_429_RETRIES:');
    expect(existsSync(join(scratch, 'bad'))).toBe(false);
  });

  it('creates DATA_DIR, serves chat with seed-style variables and exits 0 on SIGTERM', async () => {
    const dataDir = join(scratch, 'nested', 'data');
    const proc = await startHeadless({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PROXY_URL: fake.url,
      GEMINI_API_KEYS: `${DEFAULT_FAKE_KEY}\n${DEFAULT_FAKE_KEY}`,
      PASSWORD: 'process-test-pw',
    });
    await proc.waitForOutput(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(proc.output())?.[1];
    expect(existsSync(dataDir)).toBe(true);
    expect(proc.output()).toContain('1 Gemini API key(s) configured');

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const chat = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer process-test-pw', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'from a process' }],
      }),
    });
    expect(chat.status).toBe(200);
    const body = (await chat.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toContain('from a process');
    await proc.waitForOutput('POST /v1/chat/completions 200');
    expect(proc.output()).not.toContain('process-test-pw');
    expect(proc.output()).not.toContain(DEFAULT_FAKE_KEY);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('on Hugging Face Spaces trusts the Spaces proxy, so `auth` authorises the caller, not everyone', async () => {
    const proc = await startHeadless({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(scratch, 'spaces'),
      PROXY_URL: fake.url,
      GEMINI_API_KEYS: DEFAULT_FAKE_KEY,
      PASSWORD: 'spaces-pw-1',
      SPACE_ID: 'someone/gemgate',
    });
    try {
      const port = await listeningPort(proc);
      expect(proc.output()).toContain('Running on Hugging Face Spaces: TRUST_PROXY defaults to true');
      // Spaces' proxy connects from an internal address (here loopback) and names the caller.
      const from = (ip: string, init: RequestInit = {}) =>
        fetch(`http://127.0.0.1:${port}${init.method === 'POST' ? '/v1/chat/completions' : '/v1/models'}`, {
          ...init,
          headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' },
        });
      const auth = await from('203.0.113.7', {
        method: 'POST',
        body: JSON.stringify({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'auth spaces-pw-1' }],
        }),
      });
      expect(JSON.stringify(await auth.json())).toContain('Authorised: 203.0.113.7');
      expect((await from('203.0.113.7')).status).toBe(200);
      expect((await from('198.51.100.20')).status).toBe(401);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });

  it('warns loudly about the default password on a network address', async () => {
    const proc = await startHeadless({ PORT: '0', HOST: '0.0.0.0', DATA_DIR: join(scratch, 'warn') });
    await proc.waitForOutput(/Gemgate \S+ listening on http/);
    expect(proc.output()).toContain('default password "123"');
    expect(proc.output()).toContain('No Gemini API keys');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
