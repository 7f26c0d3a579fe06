/**
 * The core's side of following the system proxy (CoreOptions.systemProxy, given by the tray app): used
 * per upstream while OUTBOUND_PROXY is empty, never over an OUTBOUND_PROXY that is set, and absent in
 * a headless core — which connects directly even with the machine's proxy variables set.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamTarget } from '../../main/server/upstream/upstream-dispatcher';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startFakeHttpProxy, type FakeHttpProxy } from '../fakes/fake-http-proxy';
import { startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const KEY = 'AIzaFAKE-system-proxy-core-1';
const XAI_POOLED = 'xai-FAKE-system-proxy-pooled-1';
const PASSWORD = 'system-proxy-Password-1';

let gemini: FakeGemini;
let xai: FakeXai;
let systemProxy: FakeHttpProxy;
let configured: FakeHttpProxy;
let gw: TestGateway | undefined;

beforeAll(async () => {
  gemini = await startFakeGemini({ keys: { [KEY]: 'valid' } });
  xai = await startFakeXai({ keys: [XAI_POOLED] });
  systemProxy = await startFakeHttpProxy();
  configured = await startFakeHttpProxy();
});
afterAll(async () => {
  await configured.close();
  await systemProxy.close();
  await xai.close();
  await gemini.close();
});
beforeEach(() => {
  for (const proxy of [systemProxy, configured]) proxy.tunnels.length = 0;
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  vi.unstubAllEnvs();
});

/** The route the tray app's follower would hand the core, per upstream. */
const routes: Record<UpstreamTarget, string> = { gemini: '', xai: '' };

const start = (options: { tray: boolean; outboundProxy?: string }) =>
  startGateway({
    upstreamUrl: gemini.url,
    keys: [KEY],
    settings: {
      password: PASSWORD,
      xaiBaseUrl: xai.url,
      xaiApiKeys: [XAI_POOLED],
      outboundProxy: options.outboundProxy ?? '',
    },
    ...(options.tray ? { systemProxy: (target: UpstreamTarget) => routes[target] } : {}),
  });

const chat = (g: TestGateway, content: string) =>
  g.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content }] });
const grok = (g: TestGateway) =>
  new OpenAI({ apiKey: PASSWORD, baseURL: `${g.url}/xai/v1`, maxRetries: 0 }).chat.completions.create({
    model: 'grok-3-mini',
    messages: [{ role: 'user', content: 'hello grok' }],
  });
const targets = (proxy: FakeHttpProxy) => proxy.tunnels.map((t) => t.target);
const hostOf = (url: string) => new URL(url).host;

describe('CoreOptions.systemProxy', () => {
  it('is followed per upstream while OUTBOUND_PROXY is empty, and read per call', async () => {
    routes.gemini = systemProxy.url;
    routes.xai = '';
    gw = await start({ tray: true });
    await chat(gw, 'gemini via the system proxy');
    await grok(gw);
    expect(targets(systemProxy)).toEqual([hostOf(gemini.url)]);

    // The follower found another answer: the next call takes it, no restart.
    routes.gemini = '';
    routes.xai = systemProxy.url;
    systemProxy.tunnels.length = 0;
    const before = systemProxy.bytesToTargets();
    await chat(gw, 'gemini direct now');
    expect(systemProxy.bytesToTargets()).toBe(before);
    await grok(gw);
    expect(targets(systemProxy)).toEqual([hostOf(xai.url)]);
  });

  it('never wins over an OUTBOUND_PROXY that is set', async () => {
    routes.gemini = systemProxy.url;
    routes.xai = systemProxy.url;
    gw = await start({ tray: true, outboundProxy: configured.url });
    await chat(gw, 'via OUTBOUND_PROXY');
    await grok(gw);
    expect(new Set(targets(configured))).toEqual(new Set([hostOf(gemini.url), hostOf(xai.url)]));
    expect(systemProxy.tunnels).toEqual([]);

    gw.settings.update({ outboundProxy: '' });
    expect(JSON.stringify(gw.core.log.recent())).toContain(
      'Calls to Gemini and xAI now follow the system proxy (OUTBOUND_PROXY is empty).',
    );
    await chat(gw, 'via the system proxy');
    expect(targets(systemProxy)).toEqual([hostOf(gemini.url)]);
  });

  it('OUTBOUND_PROXY=direct connects directly, not following the system proxy', async () => {
    routes.gemini = systemProxy.url;
    routes.xai = systemProxy.url;
    gw = await start({ tray: true, outboundProxy: 'direct' });
    const before = systemProxy.bytesToTargets();
    const reply = await chat(gw, 'direct on purpose');
    expect(reply.choices[0]?.message.content).toContain('direct on purpose');
    await grok(gw);
    expect(systemProxy.tunnels).toEqual([]);
    expect(systemProxy.bytesToTargets()).toBe(before);
    expect(JSON.stringify(gw.core.log.recent())).toContain(
      'Calls to Gemini and xAI connect directly (OUTBOUND_PROXY=direct).',
    );
  });

  it('headless has none: it connects directly, whatever proxy the machine sets', async () => {
    vi.stubEnv('HTTPS_PROXY', systemProxy.url);
    vi.stubEnv('HTTP_PROXY', systemProxy.url);
    vi.stubEnv('https_proxy', systemProxy.url);
    vi.stubEnv('http_proxy', systemProxy.url);
    gw = await start({ tray: false, outboundProxy: configured.url });
    gw.settings.update({ outboundProxy: '' });
    const before = systemProxy.bytesToTargets();
    const reply = await chat(gw, 'headless direct');
    expect(reply.choices[0]?.message.content).toContain('headless direct');
    await grok(gw);
    expect(systemProxy.tunnels).toEqual([]);
    expect(systemProxy.bytesToTargets()).toBe(before);
    const log = JSON.stringify(gw.core.log.recent());
    expect(log).toContain('Calls to Gemini and xAI now connect directly (no OUTBOUND_PROXY).');
    expect(log).not.toContain('system proxy');
  });
});
