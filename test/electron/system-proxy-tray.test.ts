/**
 * The tray app follows the system proxy (what Clash or v2rayN set, as Electron's resolveProxy reports
 * it) for its calls to Gemini while OUTBOUND_PROXY is empty: the whole app composed against the fake
 * `electron` module, a real listener, the fake Gemini behind a fake CONNECT proxy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminApi } from '../../shared/admin-contract';
import type { DesktopApp } from '../../main/electron/desktop-app';
import { STORE_NAME } from '../../main/electron/settings-migrations';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startFakeHttpProxy, type FakeHttpProxy } from '../fakes/fake-http-proxy';
import { openConfStore } from './conf-store';

vi.mock('electron', () => import('./fake-electron'));
const { fake } = await import('./fake-electron');
const { startDesktopApp } = await import('../../main/electron/desktop-app');

const KEY = 'AIzaFAKE-system-proxy-key-1';

let dir: string;
let gemini: FakeGemini;
let systemProxy: FakeHttpProxy;
let running: DesktopApp | null = null;

beforeEach(async () => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'gemgate-system-proxy-'));
  fake.paths = { userData: dir, appData: join(dir, 'config') };
  gemini = await startFakeGemini({ keys: { [KEY]: 'valid' } });
  systemProxy = await startFakeHttpProxy();
});
afterEach(async () => {
  await running?.shutdown();
  running = null;
  await systemProxy.close();
  await gemini.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The tray app with the fake Gemini as PROXY_URL, and the system proxy answering `pac` for it. */
async function startTray(pac: string, settings: Record<string, unknown> = {}): Promise<DesktopApp> {
  fake.proxyAnswer = async (url) => (url === gemini.url ? pac : 'DIRECT');
  writeFileSync(
    join(dir, `${STORE_NAME}.json`),
    JSON.stringify({
      settings: {
        port: 0,
        keyCheckIntervalMinutes: 0,
        proxyUrl: gemini.url,
        geminiApiKeys: [KEY],
        ...settings,
      },
    }),
  );
  running = await startDesktopApp({
    createAdmin: () => ({}) as AdminApi,
    openStore: async (events) => openConfStore(dir, events),
    argv: ['--hidden'],
    platform: 'linux',
    consoleLog: false,
  });
  return running!;
}

async function chat(desktop: DesktopApp, content: string): Promise<string> {
  const client = new OpenAI({
    apiKey: '123',
    baseURL: desktop.host.status().listening!.baseUrl,
    maxRetries: 0,
  });
  const reply = await client.chat.completions.create({
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content }],
  });
  return reply.choices[0]?.message.content ?? '';
}

const logOf = (desktop: DesktopApp) => desktop.core.log.recent().map((e) => `${e.level} ${e.message}`);
const geminiHost = () => new URL(gemini.url).host;

describe('the tray app and the system proxy', () => {
  it('tunnels the calls to Gemini through the proxy the system names, and says so in the log', async () => {
    const desktop = await startTray(`PROXY 127.0.0.1:${systemProxy.port}; DIRECT`);
    expect(fake.proxyQueries).toEqual(expect.arrayContaining([gemini.url, 'https://api.x.ai']));
    // The start-up key check may already have opened the tunnel: the bytes show the chat used it.
    const before = systemProxy.bytesToTargets();
    expect(await chat(desktop, 'via the system proxy')).toContain('via the system proxy');
    expect(gemini.requests.some((r) => r.action === 'generateContent' && r.key === KEY)).toBe(true);
    expect(systemProxy.tunnels.map((t) => t.target)).toContain(geminiHost());
    expect(systemProxy.bytesToTargets()).toBeGreaterThan(before);
    expect(systemProxy.plainRequests).toEqual([]);
    expect(logOf(desktop)).toEqual(
      expect.arrayContaining([
        `info Calls to Gemini follow the system proxy http://127.0.0.1:${systemProxy.port}.`,
        'info Calls to xAI connect directly: the system proxy setting names no proxy for them.',
      ]),
    );
  });

  it('an OUTBOUND_PROXY that is set wins over the system proxy', async () => {
    const configured = await startFakeHttpProxy();
    try {
      const desktop = await startTray(`PROXY 127.0.0.1:${systemProxy.port}`, {
        outboundProxy: configured.url,
      });
      expect(await chat(desktop, 'via OUTBOUND_PROXY')).toContain('via OUTBOUND_PROXY');
      expect(configured.tunnels.map((t) => t.target)).toContain(geminiHost());
      expect(systemProxy.tunnels).toEqual([]);
      expect(systemProxy.bytesToTargets()).toBe(0);
      // Nothing is said of a system proxy that is not followed.
      expect(logOf(desktop).join('\n')).not.toMatch(/system proxy/);

      // Cleared, the system proxy takes over for the next call.
      await desktop.settings.update({ outboundProxy: '' });
      await vi.waitFor(() =>
        expect(logOf(desktop)).toContain(
          `info Calls to Gemini follow the system proxy http://127.0.0.1:${systemProxy.port}.`,
        ),
      );
      expect(await chat(desktop, 'via the system proxy again')).toContain('via the system proxy again');
      expect(systemProxy.tunnels.map((t) => t.target)).toContain(geminiHost());
    } finally {
      await running?.shutdown();
      running = null;
      await configured.close();
    }
  });

  it('a lookup that fails keeps the route in use: Electron answers "" then, which is not "no proxy"', async () => {
    const desktop = await startTray(`PROXY 127.0.0.1:${systemProxy.port}`);
    const before = logOf(desktop).length;
    fake.proxyAnswer = async () => {
      throw new Error('net::ERR_FAILED'); // the fake resolves '' for it, as Electron does
    };
    await desktop.settings.update({ proxyUrl: `${gemini.url}/` }); // asks again at once
    await vi.waitFor(() =>
      expect(logOf(desktop)).toContain(
        `warn Could not read the system proxy for the calls to Gemini (the lookup failed); they keep going through http://127.0.0.1:${systemProxy.port}.`,
      ),
    );
    expect(logOf(desktop).slice(before).join('\n')).not.toMatch(/connect directly/);
    const bytesBefore = systemProxy.bytesToTargets();
    expect(await chat(desktop, 'still via the system proxy')).toContain('still via the system proxy');
    expect(systemProxy.bytesToTargets()).toBeGreaterThan(bytesBefore);
  });

  it('DIRECT connects directly', async () => {
    const desktop = await startTray('DIRECT');
    expect(await chat(desktop, 'direct')).toContain('direct');
    expect(systemProxy.tunnels).toEqual([]);
    expect(systemProxy.bytesToTargets()).toBe(0);
    expect(logOf(desktop)).toContain(
      'info Calls to Gemini and xAI connect directly: the system proxy setting names no proxy for them.',
    );
  });

  it('a SOCKS system proxy is not followed: direct, and the log says why and what to set', async () => {
    const desktop = await startTray(`SOCKS5 127.0.0.1:${systemProxy.port}`);
    expect(await chat(desktop, 'not through SOCKS')).toContain('not through SOCKS');
    expect(systemProxy.tunnels).toEqual([]);
    expect(logOf(desktop).join('\n')).toMatch(
      /warn Calls to Gemini connect directly: the system proxy for them is "SOCKS5 127\.0\.0\.1:\d+".*Set OUTBOUND_PROXY/,
    );
  });
});
