/**
 * End-to-end harness: the built web admin (renderer/) served by the REAL server (startGateway) in
 * front of the fake Gemini, driven by headless Chromium through playwright-core.
 *
 * - The renderer is built once per run (and reused while its inputs are unchanged) into a temp
 *   folder named by a hash of everything the build reads; never into dist/renderer, which other
 *   tests copy.
 * - Chromium is Debian's /usr/bin/chromium (CI installs it in .ci/run). Without it the tests fail
 *   with the command that installs it: they are never skipped.
 * - One browser and one fresh context per test file, everything closed in afterAll.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini, type KeyBehaviour } from '../fakes/fake-gemini';
import { signIn as signInHttp, type AdminClient } from '../integration/admin-http-client';
import { startGateway, type GatewayOptions, type TestGateway } from '../support/gateway';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
export const VIEWPORT = { width: 1280, height: 800 };
/** How long a locator action or wait may take before the test fails with Playwright's message. */
export const UI_TIMEOUT_MS = 8_000;

// ---------------------------------------------------------------------------------------------------
// The renderer build

/**
 * The same build as scripts/build-renderer.mjs, into a cache folder keyed by its inputs: vite with the
 * preact JSX runtime, relative asset URLs, es2022. Part of the cache key, so a change here rebuilds.
 */
const BUILD_CONFIG = {
  base: './',
  jsx: { runtime: 'automatic', importSource: 'preact' },
  target: 'es2022',
} as const;

const BUILD_INPUTS = ['renderer', 'shared', 'package-lock.json', 'scripts/build-renderer.mjs'];

function filesUnder(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function buildKey(): string {
  const hash = createHash('sha256').update(JSON.stringify(BUILD_CONFIG));
  for (const file of BUILD_INPUTS.flatMap(filesUnder).sort()) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const BUILD_CACHE = join(tmpdir(), 'gemgate-e2e-renderer');
const STALE_BUILD_MS = 7 * 24 * 3600_000;

/**
 * The built renderer folder. Test files run in parallel workers: each builds into a private folder
 * and renames it into place; whoever loses the race uses the winner's (identical) build.
 */
export async function buildRenderer(): Promise<string> {
  const target = join(BUILD_CACHE, buildKey());
  if (existsSync(join(target, 'index.html'))) return target;
  mkdirSync(BUILD_CACHE, { recursive: true });
  pruneOldBuilds(target);
  const scratch = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: join(ROOT, 'renderer'),
    base: BUILD_CONFIG.base,
    logLevel: 'warn',
    oxc: { jsx: BUILD_CONFIG.jsx },
    build: { outDir: scratch, emptyOutDir: true, target: BUILD_CONFIG.target, reportCompressedSize: false },
  });
  try {
    renameSync(scratch, target);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(target, 'index.html'))) throw err;
  }
  return target;
}

function pruneOldBuilds(keep: string): void {
  for (const name of readdirSync(BUILD_CACHE)) {
    const path = join(BUILD_CACHE, name);
    try {
      if (path !== keep && Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) {
        rmSync(path, { recursive: true, force: true });
      }
    } catch {
      // another run removed it first
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The browser

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The e2e tests need Chromium at ${CHROMIUM}, and it is missing. Install it with ` +
        '`sudo apt-get install -y --no-install-recommends chromium` (CI does this in .ci/run).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** What went wrong inside the page: uncaught errors and console errors (CSP violations, …). */
export interface PageProblems {
  errors: string[];
}

function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (err) => problems.errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // An HTTP error status the app handles (a wrong password's 401, a deleted image's 404) is logged
    // by Chromium as "Failed to load resource"; the tests check those answers themselves.
    if (message.text().startsWith('Failed to load resource')) return;
    problems.errors.push(`console: ${message.text()}`);
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// One test file's world: fake Gemini, gateway, browser, context, page

export interface E2eOptions {
  /** Keys the fake Gemini knows (default: DEFAULT_FAKE_KEY valid); any other key is invalid. */
  fakeKeys?: Record<string, KeyBehaviour>;
  /** The gateway's Gemini keys (default: DEFAULT_FAKE_KEY). */
  keys?: string[];
  settings?: GatewayOptions['settings'];
  now?: () => number;
}

export interface E2e {
  fake: FakeGemini;
  gw: TestGateway;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  /** http://127.0.0.1:<port>/admin/ */
  adminUrl: string;
  /** The openai SDK with a given API key (default: the gateway's PASSWORD). */
  openai(apiKey?: string): OpenAI;
  /** The admin API over HTTP, signed in with its own session (to check what the server holds). */
  admin(): Promise<AdminClient['admin']>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'Admin-Pass-e2e-1';
export const API_PASSWORD = 'client-Pass-e2e-1';

export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  const rendererDir = await buildRenderer();
  const fake = await startFakeGemini({ keys: options.fakeKeys ?? { [DEFAULT_FAKE_KEY]: 'valid' } });
  const gw = await startGateway({
    upstreamUrl: fake.url,
    keys: options.keys ?? [DEFAULT_FAKE_KEY],
    settings: { password: API_PASSWORD, adminPassword: ADMIN_PASSWORD, ...options.settings },
    rendererDir,
    ...(options.now ? { now: options.now } : {}),
  });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: VIEWPORT,
      colorScheme: 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const page = await context.newPage();
    const problems = watchProblems(page);
    let adminClient: AdminClient | undefined;
    const opened = browser;
    return {
      fake,
      gw,
      browser: opened,
      context,
      page,
      problems,
      adminUrl: `${gw.url}/admin/`,
      openai: (apiKey = gw.settings.get().password) =>
        new OpenAI({ apiKey, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 10_000 }),
      async admin() {
        adminClient ??= await signInHttp(gw.url, ADMIN_PASSWORD);
        return adminClient.admin;
      },
      async close() {
        await context.close().catch(() => undefined);
        await opened.close();
        await gw.close();
        await fake.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await gw.close();
    await fake.close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Page helpers

/**
 * The pages of renderer/app/routes.ts (not imported: it pulls in preact, whose JSX types add the DOM
 * lib to the whole Node type-check and retype fetch for every other test).
 */
export type PageName = 'dashboard' | 'settings' | 'keys' | 'usage' | 'logs' | 'gallery';

export const byTestId = (page: Page | Locator, id: string): Locator => page.locator(`[data-testid="${id}"]`);

/** Opens /admin/ and signs in; resolves once the dashboard shows. */
export async function signIn(e2e: E2e, password = ADMIN_PASSWORD): Promise<void> {
  const { page } = e2e;
  await page.goto(e2e.adminUrl);
  await byTestId(page, 'login-password').fill(password);
  await byTestId(page, 'login-submit').click();
  await byTestId(page, 'page-dashboard').waitFor();
}

/** Navigates with the app's own navigation (hash routing, no reload) and waits for the page. */
export async function openPage(page: Page, name: PageName): Promise<Locator> {
  await byTestId(page, `nav-${name}`).click();
  const root = byTestId(page, `page-${name}`);
  await root.waitFor();
  return root;
}

/** Polls a locator's text until it matches (Playwright's auto-wait for assertions, vitest-style). */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await expect
    .poll(async () => (await locator.textContent({ timeout: UI_TIMEOUT_MS })) ?? '', {
      timeout: UI_TIMEOUT_MS,
    })
    .toMatch(expected);
}

/** expect.poll with the UI timeout (vitest's default of one second is too tight on a busy CI). */
export const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: UI_TIMEOUT_MS });

/** Polls until a locator matches exactly `count` elements. */
export async function expectCount(locator: Locator, count: number): Promise<void> {
  await eventually(() => locator.count()).toBe(count);
}

// ---------------------------------------------------------------------------------------------------
// Screenshots

const ARTEFACTS = join(ROOT, 'test-results', 'screenshots');
const DOCS = join(ROOT, 'docs', 'screenshots');

/**
 * Saves the page as test-results/screenshots/<name>.png (every run, a test artefact) and, with
 * UPDATE_SCREENSHOTS=1, as docs/screenshots/<name>.png for the README.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string[]> {
  await page.evaluate('document.fonts.ready');
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  const folders = process.env.UPDATE_SCREENSHOTS === '1' ? [ARTEFACTS, DOCS] : [ARTEFACTS];
  return folders.map((folder) => {
    mkdirSync(folder, { recursive: true });
    const target = join(folder, `${name}.png`);
    writeFileSync(target, png);
    return target;
  });
}
