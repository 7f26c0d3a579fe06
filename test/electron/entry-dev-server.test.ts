/**
 * The main-process entry (main/electron/index.ts) and VITE_DEV_SERVER_URL: a development run loads
 * the window from the dev server; the packaged app never does, whatever the environment says (the
 * window has the preload and its trusted IPC). The entry is imported afresh per case with the fake
 * `electron` module, and the desktop app it starts is replaced by a recorder of what it was given.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesktopDeps } from '../../main/electron/desktop-app';
import { devServerUrlOf } from '../../main/electron/dev-server-url';
import type * as FakeElectron from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));
const started = vi.hoisted(() => [] as DesktopDeps[]);
vi.mock('../../main/electron/desktop-app', () => ({
  startDesktopApp: (deps: DesktopDeps) => {
    started.push(deps);
    return Promise.resolve();
  },
}));
// Not the point here, and the real one sets a V8 flag for the whole test process.
vi.mock('../../main/server/heap-growth', () => ({ limitHeapGrowth: () => true }));

const EVIL = 'https://attacker.example/phish.html';

/** What the entry hands to startDesktopApp, run as a packaged app or not. */
async function entryDeps(packaged: boolean, url: string | undefined): Promise<DesktopDeps> {
  vi.resetModules();
  started.length = 0;
  // The instance the entry will be given: the mock of `electron`, made afresh by the reset.
  const { app, fake } = (await import('electron')) as unknown as typeof FakeElectron;
  fake.reset();
  app.isPackaged = packaged;
  if (url === undefined) vi.stubEnv('VITE_DEV_SERVER_URL', undefined);
  else vi.stubEnv('VITE_DEV_SERVER_URL', url);
  await import('../../main/electron/index');
  expect(started).toHaveLength(1);
  return started[0]!;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('VITE_DEV_SERVER_URL', () => {
  it('a development run loads the window from the dev server', async () => {
    expect((await entryDeps(false, 'http://localhost:5173')).devServerUrl).toBe('http://localhost:5173');
  });

  it('the packaged app ignores it: the built renderer, never a URL from the environment', async () => {
    const deps = await entryDeps(true, EVIL);
    expect(deps.devServerUrl).toBeUndefined();
    expect('devServerUrl' in deps).toBe(false);
  });

  it('unset or empty: no dev server', async () => {
    expect((await entryDeps(false, undefined)).devServerUrl).toBeUndefined();
    expect(devServerUrlOf({ VITE_DEV_SERVER_URL: '' }, false)).toBeUndefined();
    expect(devServerUrlOf({ VITE_DEV_SERVER_URL: EVIL }, true)).toBeUndefined();
  });
});
