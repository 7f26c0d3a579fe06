/**
 * The web admin of a headless gateway, as a Docker or Spaces owner meets it, in headless Chromium
 * against the real server:
 * - the dashboard tells clients the address the browser used (not the container's loopback one),
 *   or HOST_URL when it is set — base URL, the Chatbox / Cherry Studio rows and the copied snippet;
 * - the settings the deployment owns (port, listen address, data folder) are read-only, and nothing
 *   claims to restart a listener that a headless gateway never restarts;
 * - a wrong password on the login page is said in Chinese in the Chinese window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import {
  ADMIN_PASSWORD,
  API_PASSWORD,
  byTestId,
  eventually,
  expectText,
  openPage,
  startE2e,
  type E2e,
} from './harness';

let e2e: E2e;
/** The admin as a browser elsewhere reaches it: by a name, not by the address the gateway binds. */
let adminUrl: string;
let origin: string;

beforeAll(async () => {
  e2e = await startE2e();
  // "localhost" reaches the same listener as 127.0.0.1, which is what the gateway reports about itself.
  adminUrl = e2e.adminUrl.replace('//127.0.0.1:', '//localhost:');
  origin = new URL(adminUrl).origin;
  await e2e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const { page } = e2e;
  await page.goto(adminUrl);
  await byTestId(page, 'login-password').fill(ADMIN_PASSWORD);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'page-dashboard').waitFor();
});
afterAll(async () => {
  await e2e?.close();
});

// A string, not a function: the Node type-check has no DOM types (harness.ts does the same).
const clipboard = () => e2e.page.evaluate<string>('navigator.clipboard.readText()');
const clientRows = () => byTestId(e2e.page, 'how-to-connect').locator('dd code').allTextContents();

describe('how clients connect', () => {
  it('without HOST_URL: the address this browser used, everywhere the dashboard names one', async () => {
    const { page } = e2e;
    expect(origin).not.toBe(e2e.gw.url);
    await expectText(byTestId(page, 'base-url'), `${origin}/v1`);
    // Chatbox's API host and Cherry Studio's API address.
    expect((await clientRows()).filter((text) => text.startsWith('http'))).toEqual([origin, origin]);
    await byTestId(page, 'copy-snippet').click();
    await eventually(clipboard).toContain(`baseURL: '${origin}/v1', apiKey: '${API_PASSWORD}'`);
    await byTestId(page, 'copy-base-url').click();
    await eventually(clipboard).toBe(`${origin}/v1`);
  });

  it('with HOST_URL: that address, ahead of the browser’s', async () => {
    const { page } = e2e;
    e2e.gw.settings.update({ hostUrl: 'https://gemgate.example.com/' });
    await page.reload();
    await byTestId(page, 'page-dashboard').waitFor();
    await expectText(byTestId(page, 'base-url'), 'https://gemgate.example.com/v1');
    expect((await clientRows()).filter((text) => text.startsWith('http'))).toEqual([
      'https://gemgate.example.com',
      'https://gemgate.example.com',
    ]);
    await byTestId(page, 'copy-snippet').click();
    await eventually(clipboard).toContain("baseURL: 'https://gemgate.example.com/v1'");
    e2e.gw.settings.update({ hostUrl: '' });
    expect(e2e.problems.errors).toEqual([]);
  });
});

describe('settings a headless gateway takes from its deployment', () => {
  it('port, listen address and data folder are read-only and say who sets them', async () => {
    const { page } = e2e;
    const settings = await openPage(page, 'settings');
    for (const key of ['port', 'host', 'dataDir']) {
      expect(await byTestId(settings, `setting-input-${key}`).isEditable(), key).toBe(false);
      await expectText(byTestId(settings, `setting-applies-${key}`), 'set by the deployment');
    }
    await expectText(byTestId(settings, 'setting-port'), /PORT or the matching command-line flag/);
  });

  it('nothing restarts here: the body limit applies at the next start, the image folder at once', async () => {
    const { page } = e2e;
    await expectText(byTestId(page, 'setting-applies-maxBodyMb'), 'applies at next start');
    expect(await byTestId(page, 'setting-applies-imageStorageDir').count()).toBe(0);
    expect(await page.getByText(en['settings.restartBadge']).count()).toBe(0);
    // A blank number field is the default (shown as the placeholder), not an error about NaN.
    const body = byTestId(page, 'setting-input-maxBodyMb');
    expect(await body.getAttribute('placeholder')).toBe('default: 50');
    await body.fill('');
    expect(await byTestId(page, 'setting-error-maxBodyMb').count()).toBe(0);
    await expectText(page.locator('.save-bar'), en['settings.allSaved']);
    expect(e2e.problems.errors).toEqual([]);
  });

  it('in Chinese: the same notes, and validation messages in Chinese', async () => {
    const { page } = e2e;
    await byTestId(page, 'lang-switch').first().selectOption('zh');
    await expectText(byTestId(page, 'setting-applies-port'), '由部署设置');
    await expectText(byTestId(page, 'setting-applies-maxBodyMb'), '下次启动生效');
    await byTestId(page, 'setting-input-maxBodyMb').fill('9999');
    await expectText(byTestId(page, 'setting-error-maxBodyMb'), '不能大于 512。');
    await byTestId(page, 'setting-input-proxyUrl').fill('ftp://nope');
    await expectText(
      byTestId(page, 'setting-error-proxyUrl'),
      '请输入 http(s) 地址，如 https://example.com。',
    );
    await byTestId(page, 'discard-settings').click();
  });
});

describe('signing in, in Chinese', () => {
  it('a wrong password is said in Chinese, not in the server’s English', async () => {
    const { page } = e2e;
    await byTestId(page, 'logout').click();
    await byTestId(page, 'page-login').waitFor();
    await byTestId(page, 'lang-switch').selectOption('zh');
    await byTestId(page, 'login-password').fill('not-the-password');
    await byTestId(page, 'login-submit').click();
    await expectText(byTestId(page, 'login-error'), '管理密码错误。');
    expect(e2e.problems.errors).toEqual([]);
  });
});
