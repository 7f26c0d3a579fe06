/**
 * The web admin in headless Chromium against the real server: signing in (a wrong password is
 * refused on the page, the right ADMIN_PASSWORD opens the dashboard with the server's status, base
 * URL and warnings), a setting saved on the Settings page changing what the API does for the openai
 * SDK, and switching the language (zh ↔ en: navigation, labels, <html lang>, remembered).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { zh } from '../../renderer/i18n/zh';
import { settingSpecs } from '../../shared/settings-schema';
import { DEFAULT_FAKE_KEY } from '../fakes/fake-gemini';
import {
  ADMIN_PASSWORD,
  API_PASSWORD,
  byTestId,
  eventually,
  expectCount,
  expectText,
  openPage,
  startE2e,
  type E2e,
} from './harness';

let e2e: E2e;

beforeAll(async () => {
  // No Gemini key at first: the dashboard has a warning to show.
  e2e = await startE2e({ keys: [] });
});
afterAll(async () => {
  await e2e?.close();
});

const chat = (client: OpenAI) =>
  client.chat.completions.create({
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: 'ping' }],
  });

describe('signing in to /admin/', () => {
  it('a wrong password shows an error and stays on the login page', async () => {
    const { page } = e2e;
    await page.goto(e2e.adminUrl);
    await byTestId(page, 'page-login').waitFor();
    await byTestId(page, 'login-password').fill('not-the-password');
    await byTestId(page, 'login-submit').click();
    await expectText(byTestId(page, 'login-error'), 'Wrong admin password.');
    expect(await byTestId(page, 'login-password').getAttribute('aria-invalid')).toBe('true');
    // The API password is not the admin password once ADMIN_PASSWORD is set.
    await byTestId(page, 'login-password').fill(API_PASSWORD);
    await byTestId(page, 'login-submit').click();
    await expectText(byTestId(page, 'login-error'), 'Wrong admin password.');
    expect(await byTestId(page, 'page-dashboard').count()).toBe(0);
  });

  it('ADMIN_PASSWORD opens the dashboard: running, the address, the base URL, the no-key warning', async () => {
    const { page, gw } = e2e;
    await byTestId(page, 'login-password').fill(ADMIN_PASSWORD);
    await byTestId(page, 'login-submit').click();
    await byTestId(page, 'page-dashboard').waitFor();
    await expectText(byTestId(page, 'server-state'), en['dashboard.running']);
    const port = new URL(gw.url).port;
    await expectText(byTestId(page, 'listen-address'), `127.0.0.1:${port}`);
    await expectText(byTestId(page, 'base-url'), `${gw.url}/v1`);
    await expectText(byTestId(page, 'version'), 'test');
    // The password is masked until asked for.
    await expectText(byTestId(page, 'password-value'), /^•+$/);
    await byTestId(page, 'password-reveal').click();
    await expectText(byTestId(page, 'password-value'), API_PASSWORD);
    // Warnings as applicable: no keys yet (with its way to fix it); nothing else is wrong.
    const warning = byTestId(page, 'warning-no_keys');
    await expectText(warning, en['warning.no_keys']);
    expect(await warning.locator('a').getAttribute('href')).toBe('#/keys');
    await expectCount(page.locator('[data-testid^="warning-"]'), 1);
    expect(e2e.problems.errors).toEqual([]);
  });
});

describe('a setting saved on the Settings page takes effect on the API', () => {
  it('PASSWORD and MAX_REQUESTS_PER_MINUTE: the old password is refused, the third request is limited', async () => {
    const { page } = e2e;
    await (await e2e.admin()).addKeys(DEFAULT_FAKE_KEY); // so requests can succeed
    // Before: the old password works and there is no limit.
    await chat(e2e.openai(API_PASSWORD));

    const settings = await openPage(page, 'settings');
    const password = byTestId(settings, 'setting-input-password');
    expect(await password.getAttribute('type')).toBe('password'); // a secret, shown as the mask
    await password.fill('new-Client-Pass-2');
    await byTestId(settings, 'setting-input-maxRequestsPerMinute').fill('2');
    await expectText(page.locator('.save-bar'), '2 unsaved change(s)');
    await byTestId(settings, 'save-settings').click();
    await byTestId(page, 'toast').filter({ hasText: en['settings.saved'] }).waitFor();
    await expectText(page.locator('.save-bar'), en['settings.allSaved']);

    // The API answers with the new settings at once.
    const old = await chat(e2e.openai(API_PASSWORD)).catch((err: unknown) => err);
    expect(old).toBeInstanceOf(OpenAI.AuthenticationError);
    const client = e2e.openai('new-Client-Pass-2');
    expect((await chat(client)).choices[0]!.message.content).toBeTruthy();
    expect((await chat(client)).choices[0]!.message.content).toBeTruthy();
    const limited = await chat(client).catch((err: unknown) => err);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).message).toMatch(
      /at most 2 requests per minute/,
    );

    // The form shows what the server holds after a reload (and the secret is masked again).
    await page.reload();
    await byTestId(page, 'page-settings').waitFor();
    const reloaded = byTestId(page, 'setting-input-maxRequestsPerMinute');
    await eventually(() => reloaded.inputValue()).toBe('2');
    await byTestId(page, 'setting-reveal-password').click();
    await eventually(() => byTestId(page, 'setting-input-password').inputValue()).toBe('new-Client-Pass-2');

    // Back to no limit, through the page, for the rest of the file.
    await reloaded.fill('0');
    await byTestId(page, 'save-settings').click();
    await expectText(page.locator('.save-bar'), en['settings.allSaved']);
    expect(e2e.gw.settings.get().maxRequestsPerMinute).toBe(0);
    expect(e2e.problems.errors).toEqual([]);
  });
});

describe('switching the language', () => {
  const navTexts = (lang: typeof en) =>
    (['dashboard', 'settings', 'keys', 'usage', 'logs', 'gallery'] as const).map((p) => lang[`nav.${p}`]);

  it('zh: navigation, headings, setting labels and <html lang> in Chinese; remembered on reload', async () => {
    const { page } = e2e;
    await openPage(page, 'settings');
    await byTestId(page, 'lang-switch').first().selectOption('zh');
    await eventually(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await eventually(() => page.locator('nav a').allTextContents()).toEqual(navTexts(zh));
    await expectText(page.locator('#title-settings'), zh['settings.title']);
    await expectText(page.locator('label[for="setting-password"]'), settingSpecs.password.label.zh);
    await expectText(page.locator('#group-limits'), zh['group.limits']);
    expect(await page.title()).toBe(zh['app.title']);

    await page.reload();
    await byTestId(page, 'page-settings').waitFor();
    await eventually(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expectText(byTestId(page, 'nav-dashboard'), zh['nav.dashboard']);
    await openPage(page, 'dashboard');
    await expectText(byTestId(page, 'server-state'), zh['dashboard.running']);
  });

  it('the login page follows the choice, and en switches everything back', async () => {
    const { page } = e2e;
    await byTestId(page, 'logout').click();
    await byTestId(page, 'page-login').waitFor();
    await expectText(page.locator('.login h1'), zh['login.title']);
    await expectText(page.locator('label[for="login-password"]'), zh['login.password']);
    await byTestId(page, 'lang-switch').selectOption('en');
    await eventually(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expectText(page.locator('label[for="login-password"]'), en['login.password']);
    await byTestId(page, 'login-password').fill(ADMIN_PASSWORD);
    await byTestId(page, 'login-submit').click();
    await byTestId(page, 'page-dashboard').waitFor();
    await eventually(() => page.locator('nav a').allTextContents()).toEqual(navTexts(en));
    await expectText(byTestId(page, 'server-state'), en['dashboard.running']);
    expect(e2e.problems.errors).toEqual([]);
  });
});
