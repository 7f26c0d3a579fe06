/**
 * The web admin when the gateway stops answering after a page loaded, in headless Chromium against
 * the real server (requests cut with Playwright's routing, time moved on with its clock):
 * - Dashboard and Keys keep the last data but say it is stale, and the dashboard stops claiming
 *   "Running" with a ticking uptime; all of it clears once the gateway answers again;
 * - Usage never shows one period's numbers under another period's name, while loading or failed;
 * - Logs say when the live stream is down and reconnecting.
 */
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { byTestId, eventually, expectText, openPage, signIn, startE2e, type E2e } from './harness';

let e2e: E2e;

beforeAll(async () => {
  e2e = await startE2e();
  // Fake timers that still flow: polling can be fast-forwarded instead of waited for.
  await e2e.page.clock.install();
  await signIn(e2e);
});
afterAll(async () => {
  await e2e?.close();
});

const api = (path: string) => (url: URL) => url.pathname === `/admin/api/${path}`;
const cut = (route: Route) => route.abort('connectionrefused');
// page.unroute finds a route by the very matcher it was added with.
const STATUS = api('status');
const KEYS = api('keys');

describe('Dashboard', () => {
  it('says the data is stale once polling fails, stops saying Running, and recovers', async () => {
    const { page } = e2e;
    await expectText(byTestId(page, 'server-state'), en['dashboard.running']);
    expect(await byTestId(page, 'stale-banner').count()).toBe(0);

    await page.route(STATUS, cut);
    await page.clock.fastForward(6_000);
    await expectText(byTestId(page, 'stale-banner'), /Cannot reach the gateway/);
    await expectText(byTestId(page, 'server-state'), 'Not answering');
    await expectText(byTestId(page, 'uptime'), '—');
    // The last data stays on the page meanwhile.
    await expectText(byTestId(page, 'base-url'), `${e2e.gw.url}/v1`);

    await page.unroute(STATUS, cut);
    await page.clock.fastForward(6_000);
    await eventually(() => byTestId(page, 'stale-banner').count()).toBe(0);
    await expectText(byTestId(page, 'server-state'), en['dashboard.running']);
  });
});

describe('Keys', () => {
  it('the key health says it is stale while its polling fails', async () => {
    const { page } = e2e;
    const keys = await openPage(page, 'keys');
    await byTestId(keys, 'key-row').first().waitFor();
    const health = byTestId(keys, 'gemini-keys');
    await page.route(KEYS, cut);
    await page.clock.fastForward(11_000);
    await expectText(byTestId(health, 'stale-banner'), /Cannot reach the gateway/);
    expect(await byTestId(health, 'key-row').count()).toBe(1); // still shown
    await page.unroute(KEYS, cut);
    await page.clock.fastForward(11_000);
    await eventually(() => byTestId(health, 'stale-banner').count()).toBe(0);
  });
});

describe('Usage', () => {
  const totals = () => byTestId(e2e.page, 'usage-totals');
  const usageOf = api('usage');
  const WEEK = (url: URL) => usageOf(url) && url.searchParams.get('range') === '7d';
  const MONTH = (url: URL) => usageOf(url) && url.searchParams.get('range') === '30d';

  it('a period that fails to load shows its error, not the previous period’s numbers', async () => {
    const { page } = e2e;
    const usage = await openPage(page, 'usage');
    await totals().waitFor();
    await page.route(WEEK, cut);
    await byTestId(usage, 'usage-range-7d').click();
    await usage
      .getByRole('alert')
      .filter({ hasText: /Cannot reach the gateway/ })
      .waitFor();
    expect(await totals().count()).toBe(0);
    await page.unroute(WEEK, cut);
  });

  it('a period still loading shows that it loads, not the previous period’s numbers', async () => {
    const { page } = e2e;
    const usage = byTestId(page, 'page-usage');
    await byTestId(usage, 'usage-range-24h').click();
    await totals().waitFor();
    let holding: (route: Route) => void = () => undefined;
    const heldRoute = new Promise<Route>((resolve) => (holding = resolve));
    const held = (route: Route) => holding(route);
    await page.route(MONTH, held);
    await byTestId(usage, 'usage-range-30d').click();
    const route = await heldRoute; // the 30-day report is on its way, not there yet
    await expectText(
      usage.getByRole('status').filter({ hasText: en['common.loading'] }),
      en['common.loading'],
    );
    expect(await totals().count()).toBe(0);
    await route.continue();
    await totals().waitFor();
    await page.unroute(MONTH, held);
  });
});

describe('Logs', () => {
  it('says so while the live stream is down, and not once it is back', async () => {
    const { page } = e2e;
    const stream = (url: URL) => url.pathname === '/admin/api/logs/stream';
    const live = page.waitForResponse((response) => stream(new URL(response.url())));
    const logs = await openPage(page, 'logs');
    await live; // the stream is open: there is something to drop
    await page.route(stream, cut);
    // Drop the open stream as a restart or a network cut would; its reconnects are refused.
    e2e.gw.app.server.closeAllConnections();
    await expectText(byTestId(logs, 'logs-reconnecting'), 'Disconnected from the live log; reconnecting…');
    await page.unroute(stream, cut);
    await eventually(() => byTestId(logs, 'logs-reconnecting').count()).toBe(0);
    expect(e2e.problems.errors.filter((e) => !/ERR_CONNECTION_REFUSED|EventSource/.test(e))).toEqual([]);
  });
});
