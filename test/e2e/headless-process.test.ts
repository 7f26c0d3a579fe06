/**
 * The web admin against the headless process itself — main/headless.ts bundled as `npm run headless`
 * bundles it, started with environment variables only — rather than a server built in the test
 * process: sign in, save a setting, see the API obey it, restart the process on the same DATA_DIR
 * and find the setting still in force, on the page and on the API (issue "Headless" §4).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { listeningPort, startHeadless, type HeadlessProcess } from '../support/headless-process';
import {
  ADMIN_PASSWORD,
  API_PASSWORD,
  VIEWPORT,
  buildRenderer,
  byTestId,
  eventually,
  expectText,
  launchBrowser,
  openPage,
} from './harness';

let fake: FakeGemini;
let work: string;
let browser: Browser;
let page: Page;
const running = new Set<HeadlessProcess>();

beforeAll(async () => {
  fake = await startFakeGemini();
  work = mkdtempSync(join(tmpdir(), 'gemgate-e2e-headless-'));
  // The process serves dist/renderer under its working directory (its bundle lives elsewhere here).
  cpSync(await buildRenderer(), join(work, 'dist', 'renderer'), { recursive: true });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', locale: 'en-US' });
  page = await context.newPage();
}, 120_000);
afterAll(async () => {
  for (const proc of running) proc.child.kill('SIGKILL');
  await browser?.close();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Starts the headless process with the Python proxy's kind of environment; resolves to its URL. */
async function start(): Promise<{ proc: HeadlessProcess; url: string }> {
  const proc = await startHeadless(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(work, 'data'),
      PROXY_URL: fake.url,
      GEMINI_API_KEYS: DEFAULT_FAKE_KEY,
      PASSWORD: API_PASSWORD,
      ADMIN_PASSWORD,
      KEY_CHECK_INTERVAL_MINUTES: '0',
    },
    { cwd: work },
  );
  running.add(proc);
  return { proc, url: `http://127.0.0.1:${await listeningPort(proc)}` };
}

async function stop(proc: HeadlessProcess): Promise<void> {
  proc.child.kill('SIGTERM');
  expect(await proc.exited).toBe(0);
  running.delete(proc);
}

async function signIn(url: string): Promise<void> {
  await page.goto(`${url}/admin/`);
  await byTestId(page, 'login-password').fill(ADMIN_PASSWORD);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'page-dashboard').waitFor();
}

/** Three chats in a row: with a limit of 2 per minute, the third is refused. */
async function threeChats(url: string): Promise<string[]> {
  const client = new OpenAI({ apiKey: API_PASSWORD, baseURL: `${url}/v1`, maxRetries: 0 });
  const outcomes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await client.chat.completions
      .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: `ping ${i}` }] })
      .then(
        () => 'ok',
        (err: unknown) => (err instanceof OpenAI.RateLimitError ? 'limited' : String(err)),
      );
    outcomes.push(result);
  }
  return outcomes;
}

describe('the web admin of the headless process', () => {
  it('a setting saved in the page rules the API and survives a restart of the process', async () => {
    const first = await start();
    await signIn(first.url);
    await expectText(byTestId(page, 'base-url'), `${first.url}/v1`);
    const settings = await openPage(page, 'settings');
    // What the process refuses to save (its deployment sets them) cannot be edited in the page,
    // so no save of the form is refused because of them.
    for (const key of ['port', 'host', 'dataDir']) {
      expect(await byTestId(settings, `setting-input-${key}`).isEditable(), key).toBe(false);
    }
    await byTestId(settings, 'setting-input-maxRequestsPerMinute').fill('2');
    await byTestId(settings, 'save-settings').click();
    await byTestId(page, 'toast').filter({ hasText: en['settings.saved'] }).waitFor();
    expect(await threeChats(first.url)).toEqual(['ok', 'ok', 'limited']);
    await stop(first.proc);

    // Same environment, same DATA_DIR, a new process (and a new port): the saved value wins.
    const second = await start();
    await signIn(second.url);
    await openPage(page, 'settings');
    await eventually(() => byTestId(page, 'setting-input-maxRequestsPerMinute').inputValue()).toBe('2');
    expect(await threeChats(second.url)).toEqual(['ok', 'ok', 'limited']);
    await stop(second.proc);
  }, 90_000);
});
