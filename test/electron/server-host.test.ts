/**
 * The tray's listener host against the real core and the real createServer, over real sockets on
 * 127.0.0.1: restart on an address change (new listener first, old one closed, same core), "port in
 * use" as a status instead of a crash, stop/start, and the status line the tray and window show.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListenProblem } from '../../shared/admin-dto';
import { settingsDefaults } from '../../shared/settings-schema';
import { createGatewayCore, type GatewayCore } from '../../main/server/core';
import { createServer } from '../../main/server/create-server';
import { MemorySettingsSource } from '../../main/server/settings/settings-source';
import type { ListenFailure } from '../../main/electron/listen-error';
import { createServerHost, type ServerHost, type ServerHostStatus } from '../../main/electron/server-host';

let dir: string;
let settings: MemorySettingsSource;
let core: GatewayCore;
let host: ServerHost;
let coresBuiltFor: GatewayCore[];
let blocker: Server | undefined;

const answers = async (port: number): Promise<boolean> => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
};
const portOf = (s: ServerHostStatus): number => {
  if (!s.listening) throw new Error(`not listening: ${s.listenError ?? s.state}`);
  return s.listening.port;
};
const occupyPort = async (): Promise<number> => {
  blocker = createNetServer();
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as AddressInfo).port;
};

const makeHost = (startBlocker?: () => ListenFailure | null) =>
  createServerHost({
    core,
    closeGraceMs: 1000,
    createServer: (c) => {
      coresBuiltFor.push(c);
      return createServer(c);
    },
    ...(startBlocker ? { startBlocker } : {}),
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-host-'));
  settings = new MemorySettingsSource({
    ...settingsDefaults('tray'),
    port: 0,
    dataDir: dir,
    keyCheckIntervalMinutes: 0,
  });
  core = createGatewayCore({ settings, version: 'test' });
  coresBuiltFor = [];
  host = makeHost();
});
afterEach(async () => {
  await host.close();
  await core.close();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('server host', () => {
  it('starts on 127.0.0.1 and reports the OpenAI base URL', async () => {
    const status = await host.start();
    expect(status).toMatchObject({ state: 'running', listenError: null });
    const port = portOf(status);
    expect(status.listening).toEqual({ host: '127.0.0.1', port, baseUrl: `http://127.0.0.1:${port}/v1` });
    expect(await answers(port)).toBe(true);
  });

  it('restart with port 0 → another port 0: new port answers, old one stops, the core stays', async () => {
    const first = portOf(await host.start());
    const second = portOf(await host.restart());
    expect(second).not.toBe(first);
    expect(await answers(second)).toBe(true);
    expect(await answers(first)).toBe(false);
    expect(coresBuiltFor).toEqual([core, core]);
  });

  it('moves to a new port when the port setting changes, on its own', async () => {
    const first = portOf(await host.start());
    const seen: ServerHostStatus[] = [];
    host.onChange((s) => seen.push(s));
    const target = await occupyPort();
    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = undefined;

    settings.update({ port: target });
    await expect.poll(() => host.status().listening?.port, { timeout: 5000 }).toBe(target);
    expect(await answers(target)).toBe(true);
    await expect.poll(() => answers(first), { timeout: 5000 }).toBe(false);
    expect(coresBuiltFor).toEqual([core, core]);
    expect(seen.at(-1)).toMatchObject({ state: 'running', listenError: null });
  });

  it('ignores settings that do not concern the listener', async () => {
    await host.start();
    settings.update({ keyCooldownSeconds: 5 });
    await new Promise((r) => setTimeout(r, 50));
    expect(coresBuiltFor).toHaveLength(1);
  });

  it('"port in use" is a status with listenError, and the host can retry elsewhere', async () => {
    const taken = await occupyPort();
    settings.update({ port: taken });
    const status = await host.start();
    expect(status).toEqual({
      state: 'error',
      listening: null,
      listenError: `port ${taken} is in use`,
      // The same as a code, for the window to word in its own language.
      listenProblem: { code: 'port_in_use', port: taken },
    });
    expect(core.log.recent().map((e) => e.message)).toContain(
      `Gemgate could not start its server: port ${taken} is in use.`,
    );
    // Fixing the port in the settings applies at once, no restart of the app.
    settings.update({ port: 0 });
    await expect.poll(() => host.status().state, { timeout: 5000 }).toBe('running');
    expect(host.status().listenError).toBeNull();
  });

  it('a move to a taken port keeps serving on the old one and reports the failure', async () => {
    const first = portOf(await host.start());
    const taken = await occupyPort();
    settings.update({ port: taken });
    await expect.poll(() => host.status().state, { timeout: 5000 }).toBe('error');
    expect(host.status().listenError).toBe(
      `port ${taken} is in use (still serving on http://127.0.0.1:${first})`,
    );
    expect(host.status().listenProblem).toEqual({
      code: 'port_in_use',
      port: taken,
      stillServing: `http://127.0.0.1:${first}`,
    });
    expect(host.status().listening?.port).toBe(first);
    expect(await answers(first)).toBe(true);
  });

  it('stop closes the port; a settings change while stopped does not start it', async () => {
    const port = portOf(await host.start());
    expect(await host.stop()).toEqual({ state: 'stopped', listening: null, listenError: null });
    expect(await answers(port)).toBe(false);
    settings.update({ maxBodyMb: 20 });
    await new Promise((r) => setTimeout(r, 50));
    expect(host.status().state).toBe('stopped');
    expect(portOf(await host.start())).toBeGreaterThan(0);
  });
});

describe('start guard', () => {
  const REASON = 'the saved setting "Password" could not be decrypted';
  const PROBLEM: ListenProblem = { code: 'secrets_unreadable', settings: ['password'] };
  let reason: string | null;
  /** A port that was free a moment ago: the one a blocked host must leave alone. */
  let port: number;

  beforeEach(async () => {
    await host.close();
    reason = REASON;
    host = makeHost(() => (reason === null ? null : { message: reason, problem: PROBLEM }));
    port = await occupyPort();
    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = undefined;
    settings.update({ port });
  });

  it('a blocked start is an error with the reason: nothing listens, the core still starts', async () => {
    const startCore = vi.spyOn(core, 'start');
    const seen: ServerHostStatus[] = [];
    host.onChange((s) => seen.push(s));
    const status = await host.start();
    expect(status).toEqual({
      state: 'error',
      listening: null,
      listenError: REASON,
      listenProblem: PROBLEM,
      blocked: true,
    });
    expect(seen).toEqual([status]);
    expect(coresBuiltFor).toEqual([]);
    expect(await answers(port)).toBe(false);
    expect(startCore).toHaveBeenCalledOnce();
    expect(core.log.recent().map((e) => `${e.level} ${e.message}`)).toContain(
      `error Gemgate could not start its server: ${REASON}.`,
    );
    // Neither Start nor Restart gets past it; nor does a settings change that leaves it in place.
    expect((await host.start()).listenError).toBe(REASON);
    expect((await host.restart()).listenError).toBe(REASON);
    settings.update({ keyCooldownSeconds: 5 });
    await new Promise((r) => setTimeout(r, 50));
    expect(coresBuiltFor).toEqual([]);
    expect(host.status().state).toBe('error');
  });

  it('starts by itself after the settings change that lifts the guard', async () => {
    await host.start();
    reason = null; // what saving a new password does to the store's unreadable list
    settings.update({ keyCooldownSeconds: 5 });
    await expect.poll(() => host.status().state, { timeout: 5000 }).toBe('running');
    expect(host.status()).toEqual({
      state: 'running',
      listening: { host: '127.0.0.1', port, baseUrl: `http://127.0.0.1:${port}/v1` },
      listenError: null,
    });
    expect(await answers(port)).toBe(true);
  });

  it('a host the user stopped stays stopped when the guard lifts', async () => {
    await host.start();
    await host.stop();
    reason = null;
    settings.update({ keyCooldownSeconds: 5 });
    await new Promise((r) => setTimeout(r, 50));
    expect(host.status()).toEqual({ state: 'stopped', listening: null, listenError: null });
    expect(coresBuiltFor).toEqual([]);
    expect(await answers(port)).toBe(false);
  });

  it('a restart while the guard holds closes a running listener instead of moving it', async () => {
    reason = null;
    expect((await host.start()).state).toBe('running');
    reason = REASON;
    expect(await host.restart()).toEqual({
      state: 'error',
      listening: null,
      listenError: REASON,
      listenProblem: PROBLEM,
      blocked: true,
    });
    expect(await answers(port)).toBe(false);
  });
});
