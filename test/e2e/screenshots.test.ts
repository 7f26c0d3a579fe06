/**
 * Every page of the web admin with realistic data (a few keys, one of them rejected by Google,
 * access keys, six hours of traffic over three models, a couple of generated images, log lines),
 * at 1280×800 in the light theme, saved as test-results/screenshots/<page>.png on every run — and,
 * with UPDATE_SCREENSHOTS=1, as docs/screenshots/<page>.png for the README. Each page is checked to
 * show its data before it is captured, so the pictures never show a half-loaded page.
 *
 * The gateway's clock starts six hours back and catches up with real time while traffic is made, so
 * uptime, usage charts and log times look like a gateway that has been running a while.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zh } from '../../renderer/i18n/zh';
import type { FakeGemini } from '../fakes/fake-gemini';
import {
  byTestId,
  eventually,
  expectCount,
  expectText,
  openPage,
  saveScreenshot,
  signIn,
  startE2e,
  type E2e,
} from './harness';

const HOUR = 3600_000;
const KEYS = {
  AIzaSyC8fR2kLm9QwErTyUiOp4AsDfGh7Jk1Zx0: 'valid',
  AIzaSyDq3NbV6cX9zLkJhGf5DsA2PoIuYtR8eW4: 'valid',
  AIzaSyA7uI0oPlK3jHgF6dSaQ1wErTyU5iOpMn2: 'valid',
  AIzaSyBx5Vc8Nm1QaZ4sWxEdC7rFvTgB9yHnUj6: 'invalid', // revoked in Google's console
} as const;

let offset = -6 * HOUR;
let e2e: E2e;
const saved: string[] = [];

beforeAll(async () => {
  e2e = await startE2e({
    fakeKeys: { ...KEYS },
    keys: Object.keys(KEYS),
    // What a real install shows in the form (the test server itself listens on a free port).
    settings: { port: 7860 },
    now: () => Date.now() + offset,
  });
  await makeHistory();
  offset = 0;
}, 30_000);
afterAll(async () => {
  await e2e?.close();
});

/** Hours of traffic: chats over three models, through the password and two access keys, two images. */
async function makeHistory(): Promise<void> {
  const admin = await e2e.admin();
  const alice = await admin.createAccessKey({
    name: 'Alice — laptop',
    enabled: true,
    limit: 1000,
    dailyReset: true,
    perMinute: null,
    expiresAt: null,
  });
  const bot = await admin.createAccessKey({
    name: 'Support bot',
    enabled: true,
    limit: null,
    dailyReset: false,
    perMinute: 20,
    expiresAt: Date.now() + 30 * 24 * HOUR,
  });
  const clients = [e2e.openai(), e2e.openai(alice.key), e2e.openai(bot.key)];
  const models = ['gemini-2.5-flash', 'gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.5-flash-lite'];
  const perHour = [3, 6, 4, 8, 5, 9, 4];
  const prompts = ['Summarise this email thread', 'Translate to French', 'Write a haiku about rain'];
  let n = 0;
  for (const [hour, count] of perHour.entries()) {
    offset = -(perHour.length - 1 - hour) * HOUR - 20 * 60_000;
    for (let i = 0; i < count; i++) {
      n += 1;
      offset += 60_000;
      await clients[n % clients.length]!.chat.completions.create({
        model: models[n % models.length]!,
        messages: [{ role: 'user', content: prompts[n % prompts.length]! }],
      });
    }
    if (hour === 2) await upstreamError(e2e.fake);
    if (hour === 3) await draw('A lighthouse at dusk, soft watercolour', 3, 'image/png');
    if (hour === 5) await draw('Isometric illustration of a tiny coffee shop', 1, 'image/jpeg');
  }
  await admin.checkKeys(); // the revoked key shows as disabled, with Google's reason
}

async function draw(prompt: string, images: number, mimeType: 'image/png' | 'image/jpeg'): Promise<void> {
  e2e.fake.script((req) =>
    req.model === 'gemini-2.5-flash-image' ? { kind: 'image', images, mimeType } : undefined,
  );
  await e2e.openai().chat.completions.create({
    model: 'gemini-2.5-flash-image',
    messages: [{ role: 'user', content: prompt }],
  });
  e2e.fake.script(() => undefined);
}

/** One request Gemini refuses (a 400 passed through): an error line in the logs, an error in usage. */
async function upstreamError(fake: FakeGemini): Promise<void> {
  fake.script(() => ({ kind: 'error', status: 400 }));
  await e2e
    .openai()
    .chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'x' }] })
    .catch(() => undefined);
  fake.script(() => undefined);
}

describe('screenshots of every page', () => {
  it('login', async () => {
    const { page } = e2e;
    await page.goto(e2e.adminUrl);
    await byTestId(page, 'page-login').waitFor();
    saved.push(...(await saveScreenshot(page, 'login')));
    await signIn(e2e);
  });

  it('dashboard', async () => {
    const { page } = e2e;
    await expectText(byTestId(page, 'server-state'), 'Running');
    await expectText(byTestId(page, 'status-card'), /3 active · 0 cooling down · 1 disabled \(of 4\)/);
    await byTestId(page, 'how-to-connect').waitFor();
    saved.push(...(await saveScreenshot(page, 'dashboard')));
  });

  it('settings', async () => {
    const settings = await openPage(e2e.page, 'settings');
    await byTestId(settings, 'settings-group-server').waitFor();
    saved.push(...(await saveScreenshot(e2e.page, 'settings')));
  });

  it('keys', async () => {
    const keys = await openPage(e2e.page, 'keys');
    await expectCount(byTestId(keys, 'key-row'), 4);
    await expectCount(byTestId(keys, 'access-key-row'), 2);
    await expectCount(byTestId(keys, 'key-status').filter({ hasText: 'Disabled' }), 1);
    saved.push(...(await saveScreenshot(e2e.page, 'keys')));
  });

  it('usage', async () => {
    const usage = await openPage(e2e.page, 'usage');
    for (const chart of [
      'chart-requests',
      'chart-tokens',
      'chart-by-model',
      'chart-by-key',
      'chart-by-access-key',
    ]) {
      await expectCount(byTestId(usage, chart).locator('canvas'), 1);
    }
    // A line per model, key and access key used (every row of their tables), with its total.
    await expectCount(byTestId(usage, 'chart-by-model').locator('.u-legend .u-series'), 1 + 4);
    const keys = await byTestId(usage, 'usage-by-key').locator('tbody tr').count();
    expect(keys).toBeGreaterThan(1);
    await expectCount(byTestId(usage, 'chart-by-key').locator('.u-legend .u-series'), 1 + keys);
    const accessKeys = byTestId(usage, 'chart-by-access-key').locator('.u-legend');
    await expectText(accessKeys, /Alice — laptop\s*\d+/);
    await expectText(accessKeys, /Support bot\s*\d+/);
    const requests = Number(
      (await byTestId(usage, 'usage-totals').locator('dd').first().textContent())?.replace(/\D/g, ''),
    );
    expect(requests).toBeGreaterThan(40);
    // The charts, from the whole gateway's to the breakdowns, rather than the top of the page.
    await byTestId(usage, 'chart-requests').evaluate((el) =>
      (el as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' }),
    );
    saved.push(...(await saveScreenshot(e2e.page, 'usage')));
    await e2e.page.evaluate('window.scrollTo(0, 0)');
  });

  it('logs', async () => {
    const logs = await openPage(e2e.page, 'logs');
    await eventually(() => byTestId(logs, 'log-line').count()).toBeGreaterThan(40);
    await expectCount(byTestId(logs, 'log-line').filter({ hasText: '/v1/chat/completions 400' }), 1);
    saved.push(...(await saveScreenshot(e2e.page, 'logs')));
  });

  it('gallery', async () => {
    const gallery = await openPage(e2e.page, 'gallery');
    const thumbs = byTestId(gallery, 'gallery-item').locator('img');
    await expectCount(thumbs, 4);
    await eventually(() =>
      thumbs.evaluateAll((imgs) =>
        imgs.every((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0),
      ),
    ).toBe(true);
    saved.push(...(await saveScreenshot(e2e.page, 'gallery')));
  });

  it('dashboard in Chinese', async () => {
    const { page } = e2e;
    await openPage(page, 'dashboard');
    await byTestId(page, 'lang-switch').first().selectOption('zh');
    await expectText(byTestId(page, 'server-state'), zh['dashboard.running']);
    await expectText(byTestId(page, 'nav-dashboard'), zh['nav.dashboard']);
    saved.push(...(await saveScreenshot(page, 'dashboard-zh')));
    expect(saved.filter((p) => p.includes('test-results')).length).toBe(8);
    expect(e2e.problems.errors).toEqual([]);
  });
});
