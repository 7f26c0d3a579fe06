/**
 * Image URLs in chat messages fetched through the proxy Gemini is reached through (OUTBOUND_PROXY, or
 * the tray's system proxy while it is empty): where Google is blocked, so are many image hosts. Real sockets: the
 * gateway, the fake Gemini, a fake CONNECT proxy whose own DNS knows the image host (the gateway's
 * network cannot reach it), and the image host. The SSRF guard still vets every host first, on the
 * gateway's own DNS; a proxy that cannot reach the host is a clear 400.
 */
import OpenAI, { BadRequestError } from 'openai';
import { settingsDefaults } from '../../shared/settings-schema';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedAddress } from '../../main/server/net/ssrf-guard';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startFakeHttpProxy, type FakeHttpProxy } from '../fakes/fake-http-proxy';
import { generateCalls, onlyGenerateBody } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { startImageServer, type ImageServer } from '../support/image-server';

const PNG = makePng(4);
/** A blocked image CDN: public on the gateway's DNS, reachable only by the proxy. */
const BLOCKED_HOST = 'cdn.blocked.example';
/** An intranet name: private on the gateway's DNS. */
const INTRANET_HOST = 'wiki.corp.example';
/** A host the gateway's DNS answers from Clash's fake-IP range (its TUN / fake-ip mode). */
const FAKE_IP_HOST = 'cdn.fakeip.example';
/** The owner's intranet image host, allow-listed: on the gateway's DNS it is this machine. */
const OWN_IMAGE_HOST = 'img.corp.example';

const DNS: Record<string, ResolvedAddress[]> = {
  [BLOCKED_HOST]: [{ address: '93.184.216.34', family: 4 }],
  [INTRANET_HOST]: [{ address: '10.1.2.3', family: 4 }],
  [OWN_IMAGE_HOST]: [{ address: '127.0.0.1', family: 4 }],
  [FAKE_IP_HOST]: [{ address: '198.18.0.7', family: 4 }],
};

let fake: FakeGemini;
let proxy: FakeHttpProxy;
let images: ImageServer;
let gw: TestGateway;
/** What the tray app's system proxy answers (CoreOptions.systemProxy); '' for direct. */
let systemRoute = '';

beforeAll(async () => {
  fake = await startFakeGemini();
  proxy = await startFakeHttpProxy();
  images = await startImageServer({ '/cat.png': { contentType: 'image/png', bytes: PNG } });
  proxy.resolveAs(BLOCKED_HOST, '127.0.0.1');
  proxy.resolveAs(INTRANET_HOST, '127.0.0.1');
  proxy.resolveAs(FAKE_IP_HOST, '127.0.0.1');
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    systemProxy: () => systemRoute,
    remoteLookup: async (host) => {
      const answer = DNS[host];
      if (answer === undefined) throw Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' });
      return answer;
    },
  });
});
afterAll(async () => {
  await gw.close();
  await images.close();
  await proxy.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  images.hits.length = 0;
  proxy.tunnels.length = 0;
  proxy.refuseWith(undefined);
  systemRoute = '';
  gw.settings.update({ outboundProxy: proxy.url, remoteFetchAllowedHosts: [], remoteFetchViaProxy: true });
});

const imageAt = (host: string) => `http://${host}:${new URL(images.url).port}/cat.png`;

const chatWithImage = (url: string) =>
  gw.openai.chat.completions.create({
    model: 'gemini-2.5-flash',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url } },
        ],
      },
    ],
  });

const imageTunnels = () => proxy.tunnels.filter((t) => t.target.startsWith(`${BLOCKED_HOST}:`));

describe('image URLs through OUTBOUND_PROXY', () => {
  it('a host only the proxy can reach is fetched through a CONNECT tunnel to its name, and reaches Gemini inline', async () => {
    const res = await chatWithImage(imageAt(BLOCKED_HOST));
    expect(res.choices[0]?.message.content).toBe('Echo: What is this?');
    expect(images.hits).toEqual(['/cat.png']);
    expect(imageTunnels()).toHaveLength(1);
    expect(proxy.plainRequests).toEqual([]);
    expect(onlyGenerateBody(fake).contents[0]?.parts?.[1]).toEqual({
      inlineData: { mimeType: 'image/png', data: PNG.toString('base64') },
    });
  });

  it('the SSRF guard still decides first, on this machine’s DNS: an intranet name is refused, no tunnel opened', async () => {
    const err = await chatWithImage(imageAt(INTRANET_HOST)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain('resolves to a private address');
    expect(proxy.tunnels).toEqual([]);
    expect(images.hits).toEqual([]);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('a proxy that cannot reach the host: a 400 that names the host and the proxy', async () => {
    proxy.refuseWith(502);
    const err = await chatWithImage(imageAt(BLOCKED_HOST)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    const message = (err as BadRequestError).message;
    expect(message).toContain(`"${BLOCKED_HOST}"`);
    expect(message).toContain(`could not be fetched through the proxy ${proxy.url}`);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it("the tray app's system proxy is followed for images too while OUTBOUND_PROXY is empty", async () => {
    gw.settings.update({ outboundProxy: '' });
    systemRoute = proxy.url;
    const res = await chatWithImage(imageAt(BLOCKED_HOST));
    expect(res.choices[0]?.message.content).toBe('Echo: What is this?');
    expect(imageTunnels()).toHaveLength(1);
  });

  it('a name the local DNS answers with a fake IP (Clash fake-ip mode) goes to the proxy, which resolves it', async () => {
    const res = await chatWithImage(imageAt(FAKE_IP_HOST));
    expect(res.choices[0]?.message.content).toBe('Echo: What is this?');
    expect(proxy.tunnels.map((t) => t.target)).toEqual([`${FAKE_IP_HOST}:${new URL(images.url).port}`]);

    gw.settings.update({ remoteFetchViaProxy: false });
    const err = await chatWithImage(imageAt(FAKE_IP_HOST)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain('resolves to a private address');
  });

  it('only the owner’s images (the password) go through the proxy app: an access key’s go direct, fake IPs refused', async () => {
    const key = gw.core.accessKeys.create({ name: 'a guest' }).key;
    const guest = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const ask = (url: string) =>
      guest.chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
      });
    const fakeIp = await ask(imageAt(FAKE_IP_HOST)).catch((e: unknown) => e);
    expect(fakeIp).toBeInstanceOf(BadRequestError);
    expect((fakeIp as BadRequestError).message).toContain('resolves to a private address');
    // A public host is fetched directly (here nothing answers at that address: a 400, no tunnel).
    const direct = await ask(imageAt(BLOCKED_HOST)).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(BadRequestError);
    expect(proxy.tunnels).toEqual([]);
  });

  it('off by default on a server (REMOTE_FETCH_VIA_PROXY): the fetch is direct, the proxy sees nothing', async () => {
    expect(settingsDefaults('headless').remoteFetchViaProxy).toBe(false);
    expect(settingsDefaults('tray').remoteFetchViaProxy).toBe(true);
    gw.settings.update({ remoteFetchViaProxy: false, remoteFetchAllowedHosts: ['127.0.0.1'] });
    const res = await chatWithImage(`${images.url}/cat.png`);
    expect(res.choices[0]?.message.content).toBe('Echo: What is this?');
    expect(proxy.tunnels).toEqual([]);
  });

  it('an allow-listed intranet host is fetched directly even with the proxy on: the proxy may not reach it', async () => {
    gw.settings.update({ remoteFetchAllowedHosts: [OWN_IMAGE_HOST] });
    const res = await chatWithImage(imageAt(OWN_IMAGE_HOST));
    expect(res.choices[0]?.message.content).toBe('Echo: What is this?');
    expect(proxy.tunnels).toEqual([]);
  });

  it('without a proxy (OUTBOUND_PROXY=direct) the fetch is direct: the proxy sees nothing', async () => {
    gw.settings.update({ outboundProxy: 'direct', remoteFetchAllowedHosts: ['127.0.0.1'] });
    const res = await chatWithImage(`${images.url}/cat.png`);
    expect(res.choices[0]?.message.content).toBe('Echo: What is this?');
    expect(images.hits).toEqual(['/cat.png']);
    expect(proxy.tunnels).toEqual([]);
  });
});
