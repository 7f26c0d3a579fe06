/**
 * The tray app logs headless's loud default-password warning (issue "Access control" §1) when its
 * listener starts on a network address with PASSWORD still "123", and again when a host change moves
 * the listener there — never on loopback, never with a password of the user's own.
 *
 * HOST=0.0.0.0 without exposing anything: the listener's name lookup (net.Server#listen asks
 * dns.lookup even for an IP literal) answers 127.0.0.1 for the wildcard, so the shell is configured
 * for — and reasons about — 0.0.0.0 while the socket stays on loopback. Only name resolution is
 * faked; every module of ours is the real one.
 */
import dns from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfStore } from './conf-store';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminApi } from '../../shared/admin-contract';
import type { Settings } from '../../shared/settings-schema';
import { DEFAULT_PASSWORD_WARNING } from '../../main/server/admin/exposed-password';
import type { DesktopApp } from '../../main/electron/desktop-app';
import { STORE_NAME } from '../../main/electron/settings-migrations';
import type { KeyValueStore } from '../../main/electron/settings-store';

vi.mock('electron', () => import('./fake-electron'));
const { fake } = await import('./fake-electron');
const { startDesktopApp } = await import('../../main/electron/desktop-app');

const WILDCARD = '0.0.0.0';
const wildcardLookups: string[] = [];
const originalLookup = dns.lookup;

beforeAll(() => {
  dns.lookup = ((host: string, ...rest: unknown[]) => {
    if (host === WILDCARD) wildcardLookups.push(host);
    return (originalLookup as (...args: unknown[]) => unknown)(
      host === WILDCARD ? '127.0.0.1' : host,
      ...rest,
    );
  }) as typeof dns.lookup;
});
afterAll(() => {
  dns.lookup = originalLookup;
});

let dir: string;
let running: DesktopApp | null = null;

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'gemgate-exposed-'));
  fake.paths = { userData: dir, appData: join(dir, 'config') };
  wildcardLookups.length = 0;
});
afterEach(async () => {
  await running?.shutdown();
  running = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the shell with these saved settings (port 0 always: never a real gateway's 7860). */
async function start(saved: Partial<Settings>): Promise<DesktopApp> {
  writeFileSync(
    join(dir, `${STORE_NAME}.json`),
    JSON.stringify({ settings: { port: 0, keyCheckIntervalMinutes: 0, ...saved } }),
  );
  const openStore = async (): Promise<KeyValueStore> => openConfStore(dir);
  const desktop = await startDesktopApp({
    createAdmin: () => ({}) as AdminApi,
    openStore,
    argv: [],
    platform: 'linux',
    consoleLog: false,
  });
  if (!desktop) throw new Error('the shell did not start');
  return (running = desktop);
}

const messages = (desktop: DesktopApp) => desktop.core.log.recent().map((e) => `${e.level} ${e.message}`);
const warnings = (desktop: DesktopApp) =>
  messages(desktop).filter((m) => m === `warn ${DEFAULT_PASSWORD_WARNING}`);

/** The listener answers on loopback (the wildcard lookup above made it bind there). */
async function answersOnLoopback(desktop: DesktopApp): Promise<void> {
  const port = desktop.host.status().listening?.port;
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
  expect(res.status).toBe(200);
}

describe('default password on a network address', () => {
  it('HOST=0.0.0.0 with password 123: the warning follows the "listening on" line', async () => {
    const desktop = await start({ host: WILDCARD });
    expect(desktop.settings.get().password).toBe('123');
    expect(desktop.host.status()).toMatchObject({ state: 'running', listening: { host: WILDCARD } });
    expect(wildcardLookups).not.toEqual([]);
    await answersOnLoopback(desktop);

    const log = messages(desktop);
    const listening = log.findIndex((m) => /^info Gemgate \S+ listening on /.test(m));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(log[listening + 1]).toBe(`warn ${DEFAULT_PASSWORD_WARNING}`);
    expect(warnings(desktop)).toHaveLength(1);
  });

  it('HOST=0.0.0.0 with a password of the user’s own: no warning', async () => {
    const desktop = await start({ host: WILDCARD, password: 'an-own-password' });
    expect(desktop.host.status().listening?.host).toBe(WILDCARD);
    await answersOnLoopback(desktop);
    expect(warnings(desktop)).toEqual([]);
  });

  it('loopback with password 123: no warning — until the host moves to 0.0.0.0, and not again on the way back', async () => {
    const desktop = await start({});
    expect(desktop.host.status().listening?.host).toBe('127.0.0.1');
    expect(warnings(desktop)).toEqual([]);

    await desktop.settings.update({ host: WILDCARD });
    await vi.waitFor(() => expect(desktop.host.status().listening?.host).toBe(WILDCARD));
    await vi.waitFor(() => expect(warnings(desktop)).toHaveLength(1));
    const log = messages(desktop);
    expect(log[log.length - 2]).toMatch(/^info Server moved to /);
    await answersOnLoopback(desktop);

    await desktop.settings.update({ host: '127.0.0.1' });
    await vi.waitFor(() => expect(desktop.host.status().listening?.host).toBe('127.0.0.1'));
    await vi.waitFor(() =>
      expect(messages(desktop).filter((m) => m.startsWith('info Server moved to '))).toHaveLength(2),
    );
    expect(warnings(desktop)).toHaveLength(1);
  });
});
