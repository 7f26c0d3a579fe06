/**
 * OUTBOUND_PROXY over real sockets: the gateway in front of the fake Gemini and the fake xAI, its
 * upstream calls going through a fake forward proxy (CONNECT tunnels, as Clash or v2rayN answer them).
 * Chat, streams, the model list, the native relay and the xAI relay all tunnel; the proxy never reads
 * a request in the clear; credentials in the URL reach the proxy and never the log; a refusing or
 * missing proxy is a clear 502; a change applies to the next request.
 */
import { GoogleGenAI } from '@google/genai';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startFakeHttpProxy, type FakeHttpProxy } from '../fakes/fake-http-proxy';
import { FAKE_XAI_KEY, startFakeXai, type FakeXai } from '../fakes/fake-xai';
import { startGateway, type TestGateway } from '../support/gateway';

const KEY = 'AIzaFAKE-outbound-proxy-key1';
const PASSWORD = 'outbound-proxy-Password-1';
const XAI_POOLED = 'xai-FAKE-outbound-pooled-0001';

let fake: FakeGemini;
let fakeXai: FakeXai;
let proxy: FakeHttpProxy;
let gw: TestGateway;

const hostOf = (url: string) => new URL(url).host;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: { [KEY]: 'valid' } });
  fakeXai = await startFakeXai({ keys: [FAKE_XAI_KEY, XAI_POOLED] });
  proxy = await startFakeHttpProxy();
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [KEY],
    settings: {
      password: PASSWORD,
      outboundProxy: proxy.url,
      xaiBaseUrl: fakeXai.url,
      xaiApiKeys: [XAI_POOLED],
      gemini503Retries: 1,
    },
  });
});
afterAll(async () => {
  await gw.close();
  await proxy.close();
  await fakeXai.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fakeXai.reset();
  proxy.tunnels.length = 0;
  proxy.plainRequests.length = 0;
  proxy.requireCredentials(undefined);
  proxy.refuseWith(undefined);
  proxy.stayMute(false);
  gw.settings.update({ outboundProxy: proxy.url, upstreamConnectTimeoutSeconds: 10 });
  gw.core.log.clear();
});

const chat = (content: string) =>
  gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content }] });

async function errorOf(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof APIError) return err;
    throw err;
  }
  throw new Error('expected an API error');
}

describe('OUTBOUND_PROXY', () => {
  it('tunnels chat and streamed chat to Gemini; the proxy sees only the host, Gemini gets the key', async () => {
    const reply = await chat('through the proxy');
    expect(reply.choices[0]?.message.content).toContain('through the proxy');
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'streamed through the proxy' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('streamed through the proxy');

    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set([hostOf(fake.url)]));
    expect(proxy.plainRequests).toEqual([]);
    const calls = fake.requests.filter((r) => r.action !== undefined);
    expect(calls.map((r) => r.action)).toEqual(['generateContent', 'streamGenerateContent']);
    expect(calls.every((r) => r.key === KEY)).toBe(true);
  });

  it('tunnels the model list and the native relay (@google/genai) too', async () => {
    gw.core.models.invalidate();
    const before = proxy.bytesToTargets();
    const models = await gw.openai.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    const ai = new GoogleGenAI({ apiKey: PASSWORD, httpOptions: { baseUrl: gw.url, apiVersion: 'v1beta' } });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'native via proxy' });
    expect(res.text).toContain('native via proxy');
    expect(fake.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1beta/models', '/v1beta/models/gemini-2.5-flash:generateContent']),
    );
    // The tunnel of the test before is reused (keep-alive): the bytes show the calls went through it.
    expect(proxy.bytesToTargets()).toBeGreaterThan(before);
    expect(proxy.tunnels.every((t) => t.target === hostOf(fake.url))).toBe(true);
    expect(proxy.plainRequests).toEqual([]);
  });

  it('tunnels the xAI relay with a pooled key', async () => {
    const grok = new OpenAI({ apiKey: PASSWORD, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
    const reply = await grok.chat.completions.create({
      model: 'grok-3-mini',
      messages: [{ role: 'user', content: 'grok via proxy' }],
    });
    expect(reply.choices[0]?.message.content).toBeTruthy();
    expect(fakeXai.requests.at(-1)?.key).toBe(XAI_POOLED);
    expect(proxy.tunnels.map((t) => t.target)).toContain(hostOf(fakeXai.url));
  });

  it('accepts host:port without a scheme, as proxy apps show their port', async () => {
    gw.settings.update({ outboundProxy: `127.0.0.1:${proxy.port}` });
    await chat('bare host and port');
    expect(proxy.tunnels.map((t) => t.target)).toContain(hostOf(fake.url));
  });

  it('sends the credentials of the URL to the proxy, and never writes them to the log', async () => {
    proxy.requireCredentials({ user: 'alice', password: 'pr0xy@pass' });
    gw.settings.update({ outboundProxy: `http://alice:pr0xy%40pass@127.0.0.1:${proxy.port}` });
    const reply = await chat('with proxy credentials');
    expect(reply.choices[0]?.message.content).toContain('with proxy credentials');
    expect(proxy.tunnels.at(-1)?.proxyAuthorization).toBe(
      `Basic ${Buffer.from('alice:pr0xy@pass').toString('base64')}`,
    );
    const log = JSON.stringify(gw.core.log.recent());
    expect(log).toContain('***@127.0.0.1');
    expect(log).not.toContain('pr0xy');
  });

  it('answers 502 naming the proxy when it wants credentials, without walking every key', async () => {
    proxy.requireCredentials({ user: 'alice', password: 'secret' });
    const err = await errorOf(chat('no credentials'));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/outbound proxy \(OUTBOUND_PROXY.*HTTP 407.*user:password@/);
    expect(fake.requests).toEqual([]);
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('answers 502 naming the proxy when it cannot reach the upstream, after the retries allowed', async () => {
    proxy.refuseWith(502);
    const err = await errorOf(chat('proxy cannot reach Google'));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/outbound proxy .*HTTP 502/);
    // GEMINI_503_RETRIES=1: the first attempt and one retry.
    expect(proxy.tunnels).toHaveLength(2);
  });

  it('answers 502 when the proxy is not running', async () => {
    const gone = await startFakeHttpProxy();
    await gone.close();
    gw.settings.update({ outboundProxy: gone.url });
    const err = await errorOf(chat('proxy down'));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/Could not reach Gemini: connection refused/);
    expect(fake.requests).toEqual([]);
  });

  it('gives up on a proxy that never answers CONNECT within the connect timeout, not five minutes', async () => {
    proxy.stayMute(true);
    // A new connect timeout builds a new dispatcher, so the next call needs a new tunnel.
    gw.settings.update({ upstreamConnectTimeoutSeconds: 0.5 });
    const started = Date.now();
    const err = await errorOf(chat('mute proxy'));
    // Two attempts (GEMINI_503_RETRIES=1) of half a second each, with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.status).toBe(504);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(fake.requests).toEqual([]);
  });

  it('reports a proxy URL no dispatcher can be built from on every call, and keeps running', async () => {
    // Past the settings schema (a malformed IPv6 address), undici refuses it: the calls say why.
    gw.settings.update({ outboundProxy: 'http://alice:s3cret@[::1::2]:7890' });
    const err = await errorOf(chat('unusable proxy'));
    expect(err.status).toBe(502);
    expect(err.message).toContain('OUTBOUND_PROXY http://***@[::1::2]:7890 cannot be used');
    expect(err.message).not.toContain('s3cret');
    const grok = new OpenAI({ apiKey: PASSWORD, baseURL: `${gw.url}/xai/v1`, maxRetries: 0 });
    const xaiErr = await errorOf(
      grok.chat.completions.create({ model: 'grok-3-mini', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(xaiErr.status).toBe(502);
    expect(xaiErr.message).toContain('cannot be used');
    gw.settings.update({ outboundProxy: proxy.url });
    expect((await chat('usable again')).choices[0]?.message.content).toContain('usable again');
  });

  it("words a proxy's refusal on the Keys page as for chat", async () => {
    proxy.requireCredentials({ user: 'alice', password: 'secret' });
    // A new connect timeout builds a new dispatcher: no tunnel of an earlier test is reused.
    gw.settings.update({ upstreamConnectTimeoutSeconds: 9 });
    const [result] = await gw.core.keyChecker.checkAll();
    expect(result?.outcome).toBe('unknown');
    expect(result?.message).toMatch(/OUTBOUND_PROXY.*HTTP 407/);
  });

  it('applies a change to the next request: cleared, calls go direct; set again, they tunnel', async () => {
    gw.settings.update({ outboundProxy: '' });
    const before = proxy.bytesToTargets();
    await chat('direct');
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.bytesToTargets()).toBe(before);
    expect(JSON.stringify(gw.core.log.recent())).toContain('now connect directly');
    gw.settings.update({ outboundProxy: proxy.url });
    await chat('proxied again');
    expect(proxy.tunnels.map((t) => t.target)).toEqual([hostOf(fake.url)]);
    expect(fake.requests.filter((r) => r.action === 'generateContent')).toHaveLength(2);
  });
});
