/**
 * The origin of image links (issue "Images"): HOST_URL when set, otherwise the request's own origin,
 * where X-Forwarded-Proto / X-Forwarded-Host count only when TRUST_PROXY trusts the socket peer —
 * anyone else could make our replies point at their host. Checked on the exact URL of a chat reply's
 * markdown `![image](URL)` (non-stream and stream) and of /v1/images/generations' `data[].url`.
 *
 * Raw node:http requests: fetch (and so the openai SDK) cannot send a Host header of its choosing.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import { chunksOf, contentOf } from '../support/openai-sse';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

let gw: TestGateway;

gatewayPerFile((started) => ({ gw } = started));

/** POSTs JSON with exactly these extra headers (Host included); resolves with the raw body. */
function post(path: string, body: object, headers: Record<string, string>): Promise<string> {
  const payload = JSON.stringify(body);
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${gw.settings.get().password}`,
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The gateway-relative path of the image saved last (memory store: `/images/<id>.png`). */
function lastImagePath(): string {
  const path = gw.core.images.library.list().entries[0]?.url ?? '';
  expect(path).toMatch(/^\/images\/[0-9a-z]{9}-[0-9a-f]{16}\.png$/);
  return path;
}

const markdownUrls = (text: string): string[] =>
  [...text.matchAll(/!\[image\]\(([^)]+)\)/g)].map((m) => m[1]!);

/** Each door that links images: the URL it gave for the one image it drew. */
const doors: Record<string, (headers: Record<string, string>) => Promise<string>> = {
  'chat markdown': async (headers) => {
    const body = { model: 'gemini-2.5-flash-image', messages: [{ role: 'user', content: 'draw a cat' }] };
    const res = JSON.parse(await post('/v1/chat/completions', body, headers)) as {
      choices: { message: { content: string } }[];
    };
    const urls = markdownUrls(res.choices[0]?.message.content ?? '');
    expect(urls).toHaveLength(1);
    return urls[0]!;
  },
  'chat stream markdown': async (headers) => {
    const body = {
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw a cat' }],
      stream: true,
    };
    const urls = markdownUrls(contentOf(chunksOf(await post('/v1/chat/completions', body, headers))));
    expect(urls).toHaveLength(1);
    return urls[0]!;
  },
  'images data[].url': async (headers) => {
    const res = JSON.parse(await post('/v1/images/generations', { prompt: 'a cat' }, headers)) as {
      data: { url?: string }[];
    };
    expect(res.data).toHaveLength(1);
    return res.data[0]?.url ?? '';
  },
};

const HOST = 'gateway.lan:8080';
const FORWARDED = { host: HOST, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.org' };

interface Case {
  name: string;
  settings: Pick<Settings, 'hostUrl' | 'trustProxy'>;
  headers: Record<string, string>;
  origin: string;
}

const cases: Case[] = [
  {
    name: 'the request’s own Host when nothing else is set',
    settings: { hostUrl: '', trustProxy: 'false' },
    headers: { host: HOST },
    origin: `http://${HOST}`,
  },
  {
    name: 'HOST_URL over everything, even a trusted proxy’s headers (trailing slash dropped)',
    settings: { hostUrl: 'https://img.example.com/', trustProxy: 'true' },
    headers: FORWARDED,
    origin: 'https://img.example.com',
  },
  {
    name: 'X-Forwarded-Proto/Host from a peer TRUST_PROXY lists',
    settings: { hostUrl: '', trustProxy: '127.0.0.1' },
    headers: FORWARDED,
    origin: 'https://gw.example.org',
  },
  {
    name: 'the first of comma-separated forwarded values (TRUST_PROXY=true)',
    settings: { hostUrl: '', trustProxy: 'true' },
    headers: {
      host: HOST,
      'x-forwarded-proto': 'HTTPS, http',
      'x-forwarded-host': 'gw.example.org, inner.lan',
    },
    origin: 'https://gw.example.org',
  },
  {
    name: 'a trusted proxy’s malformed X-Forwarded-Host is not used, the Host is',
    settings: { hostUrl: '', trustProxy: 'true' },
    headers: { host: HOST, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example/@x' },
    origin: `https://${HOST}`,
  },
  {
    name: 'forwarded headers ignored when TRUST_PROXY is off',
    settings: { hostUrl: '', trustProxy: 'false' },
    headers: FORWARDED,
    origin: `http://${HOST}`,
  },
  {
    name: 'forwarded headers ignored when the peer is not among the trusted proxies',
    settings: { hostUrl: '', trustProxy: '10.0.0.0/8' },
    headers: FORWARDED,
    origin: `http://${HOST}`,
  },
];

describe.each(Object.keys(doors))('%s', (door) => {
  it.each(cases)('$name', async ({ settings, headers, origin }) => {
    gw.settings.update(settings);
    const url = await doors[door]!(headers);
    expect(url).toBe(`${origin}${lastImagePath()}`);
  });
});
