/**
 * The upstream dispatcher (upstream-dispatcher.ts): OUTBOUND_PROXY as undici takes it and as the log
 * may show it, and the dispatcher rebuilt — the old one closed only once its calls are done — when
 * the proxy or the connect timeout changes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, ProxyAgent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyRefusalStatus, proxyRefusalText } from '../../../main/server/upstream/proxy-failure';
import {
  describeProxy,
  OutboundProxyError,
  proxyUri,
  UpstreamDispatcher,
} from '../../../main/server/upstream/upstream-dispatcher';

describe('proxyUri and describeProxy', () => {
  it('reads host:port as http://, drops a trailing slash, and leaves empty as direct', () => {
    expect(proxyUri('')).toBeUndefined();
    expect(proxyUri('  ')).toBeUndefined();
    expect(proxyUri('127.0.0.1:7890')).toBe('http://127.0.0.1:7890');
    expect(proxyUri('HTTP://proxy:3128/')).toBe('HTTP://proxy:3128');
    expect(proxyUri('https://proxy.example.com')).toBe('https://proxy.example.com');
  });

  it('masks the credentials of a proxy URL', () => {
    expect(describeProxy('http://alice:s3cret@127.0.0.1:7890')).toBe('http://***@127.0.0.1:7890');
    expect(describeProxy('alice:s3cret@127.0.0.1:7890')).toBe('http://***@127.0.0.1:7890');
    expect(describeProxy('http://127.0.0.1:7890')).toBe('http://127.0.0.1:7890');
    expect(describeProxy('')).toBe('none');
  });
});

describe('proxy refusals', () => {
  it("reads the status of undici's tunnel refusal, and nothing else", () => {
    expect(proxyRefusalStatus(new Error('Proxy response (407) !== 200 when HTTP Tunneling'))).toBe(407);
    expect(proxyRefusalStatus(new Error('Request aborted'))).toBeUndefined();
    expect(proxyRefusalStatus(undefined)).toBeUndefined();
    expect(proxyRefusalText('Gemini', 407)).toContain('user:password@');
    expect(proxyRefusalText('xAI', 502)).toBe(
      'The outbound proxy (OUTBOUND_PROXY, or the system proxy the tray app follows) would not connect to xAI: it answered HTTP 502.',
    );
  });
});

describe('UpstreamDispatcher', () => {
  let server: Server;
  let url: string;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    // Answers at once, or — for /slow — when the test releases it.
    server = createServer((req, res) => {
      if (req.url === '/slow') release = () => res.end('slow');
      else res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('uses an Agent without a proxy and a ProxyAgent with one, rebuilt when either setting changes', async () => {
    let proxy = '';
    let timeoutMs = 1000;
    const dispatcher = new UpstreamDispatcher({ proxy: () => proxy, connectTimeoutMs: () => timeoutMs });
    const direct = dispatcher.get();
    expect(direct).toBeInstanceOf(Agent);
    expect(dispatcher.get()).toBe(direct);
    timeoutMs = 2000;
    const longer = dispatcher.get();
    expect(longer).not.toBe(direct);
    expect(longer).toBeInstanceOf(Agent);
    proxy = '127.0.0.1:7890';
    expect(dispatcher.get()).toBeInstanceOf(ProxyAgent);
    await dispatcher.close();
  });

  it('turns a proxy undici cannot use into a rejection per call, never a throw, and recovers', async () => {
    let proxy = 'http://alice:s3cret@[::1::2]:7890';
    const dispatcher = new UpstreamDispatcher({ proxy: () => proxy, connectTimeoutMs: () => 1000 });
    const failed = dispatcher.run(() => Promise.resolve('unreachable'));
    await expect(failed).rejects.toBeInstanceOf(OutboundProxyError);
    await expect(failed).rejects.toThrow('OUTBOUND_PROXY http://***@[::1::2]:7890 cannot be used');
    await expect(failed).rejects.not.toThrow('s3cret');
    proxy = '';
    const ok = await dispatcher.run((d) => request(`${url}/fast`, { dispatcher: d }));
    expect(await ok.body.text()).toBe('ok');
    await dispatcher.close();
  });

  it('lets a call on the replaced dispatcher finish before closing it', async () => {
    let timeoutMs = 1000;
    const dispatcher = new UpstreamDispatcher({ proxy: () => '', connectTimeoutMs: () => timeoutMs });
    const slow = request(`${url}/slow`, { dispatcher: dispatcher.get() });
    await expect.poll(() => release).toBeDefined();
    timeoutMs = 3000;
    const fresh = await request(`${url}/fast`, { dispatcher: dispatcher.get() });
    expect(await fresh.body.text()).toBe('ok');
    release?.();
    expect(await (await slow).body.text()).toBe('slow');
    await dispatcher.close();
  });
});
