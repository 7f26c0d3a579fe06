import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../main/server/errors';
import { fetchRemoteImage } from '../../main/server/net/fetch-remote-image';
import type { RemoteFetchOptions } from '../../main/server/net/fetch-remote-image';
import { isFakeIpAddress, isPublicAddress } from '../../main/server/net/ssrf-guard';

// A 1x1 PNG; its exact bytes must come back base64-encoded.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const routes: Record<string, Handler> = {
  '/image.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
    res.end(PNG);
  },
  '/image-params.jpg': (_req, res) => {
    res.writeHead(200, { 'content-type': 'IMAGE/JPEG; charset=binary' });
    res.end(PNG);
  },
  '/page.html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html></html>');
  },
  '/drawing.svg': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/svg+xml' });
    res.end('<svg/>');
  },
  '/no-type': (_req, res) => {
    res.writeHead(200);
    res.end(PNG);
  },
  '/missing.png': (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  },
  '/declared-huge.png': (_req, res) => {
    // Declares 21 MB but sends only a little: the declared size alone must be enough to refuse.
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': 21 * 1024 * 1024 });
    res.write(PNG);
  },
  '/chunked-big.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' }); // no Content-Length: chunked
    const chunk = Buffer.alloc(512, 1);
    let sent = 0;
    const timer = setInterval(() => {
      if (sent++ === 10 || res.destroyed) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(chunk);
    }, 5);
  },
  '/never-answers': () => undefined,
  '/slow-body.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(PNG.subarray(0, 10)); // and then nothing more
  },
  '/to-image': (_req, res) => {
    res.writeHead(302, { location: '/image.png' });
    res.end();
  },
  '/to-named-host': (req, res) => {
    res.writeHead(301, { location: `http://img.intranet.test:${portOf(req)}/image.png` });
    res.end();
  },
  '/to-metadata': (_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  },
  '/to-private-name': (_req, res) => {
    res.writeHead(307, { location: 'http://internal.example.com/secret.png' });
    res.end();
  },
  '/loop': (_req, res) => {
    res.writeHead(302, { location: '/loop' });
    res.end();
  },
  '/to-ftp': (_req, res) => {
    res.writeHead(302, { location: 'ftp://example.com/x.png' });
    res.end();
  },
};

const portOf = (req: IncomingMessage): number => (req.socket.address() as AddressInfo).port;

let server: Server;
let base: string;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(`${req.headers.host ?? ''}${path}`);
    res.on('error', () => undefined); // the client may hang up mid-body on purpose
    const handler = routes[path];
    if (handler) handler(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

const allowLoopback: RemoteFetchOptions = {
  allowedHosts: ['127.0.0.1'],
  maxBytes: 20 * 1024 * 1024,
  timeoutMs: 5_000,
};

/** Runs the fetch and returns the ApiError it must fail with. */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err: unknown = await promise.then(
    () => new Error('expected the fetch to be refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const apiError = err as ApiError;
  expect(apiError.code).toBe('invalid_image_url');
  expect(apiError.status).toBe(400);
  expect(apiError.param).toBe('messages');
  return apiError;
}

const lookupTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2001:4860:4860::8888', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['192.0.2.1', false],
    ['240.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['fc00::abcd', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['[::1]', false],
    ['2002:7f00:1::', false], // 6to4 wrapping 127.0.0.1
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false], // teredo
    ['64:ff9b::a00:1', false], // NAT64 of 10.0.0.1
    ['2001:db8::1', false],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe('isFakeIpAddress', () => {
  it.each([
    ['198.18.0.1', true],
    ['198.19.255.254', true],
    ['::ffff:198.18.0.7', true],
    ['198.17.255.255', false],
    ['198.20.0.1', false],
    ['10.0.0.1', false],
    ['8.8.8.8', false],
    ['not-an-ip', false],
  ])('%s → %s', (ip, expected) => {
    expect(isFakeIpAddress(ip)).toBe(expected);
  });
});

describe('fetchRemoteImage', () => {
  it('a name in a proxy app’s fake-IP range: refused, unless the owner lets the proxy app resolve names', async () => {
    const fakeIp = { ...allowLoopback, allowedHosts: [], lookup: lookupTo('198.18.0.7') };
    const err = await refusal(fetchRemoteImage('https://images.example.com/cat.png', fakeIp));
    expect(err.message).toMatch(/resolves to a private address/);
    // Accepted: the connection then goes to the fake IP, which here nothing answers (no TUN), so it
    // fails on connecting — not on the check.
    const connecting = await refusal(
      fetchRemoteImage('http://images.example.com:9/cat.png', {
        ...fakeIp,
        acceptFakeIps: true,
        timeoutMs: 300,
      }),
    );
    expect(connecting.message).not.toMatch(/private address/);
    // An IP literal in that range is never a name a proxy app resolved.
    const literal = await refusal(
      fetchRemoteImage('http://198.18.0.7/cat.png', { ...fakeIp, acceptFakeIps: true }),
    );
    expect(literal.message).toMatch(/private or reserved address/);
  });

  it('refuses loopback when it is not allow-listed, without connecting', async () => {
    const before = hits.length;
    const err = await refusal(fetchRemoteImage(`${base}/image.png`, { ...allowLoopback, allowedHosts: [] }));
    expect(err.message).toContain('"127.0.0.1"');
    expect(err.message).toMatch(/private/);
    expect(hits.length).toBe(before);
  });

  it('fetches an allow-listed host and returns base64 and the media type', async () => {
    const image = await fetchRemoteImage(`${base}/image.png`, allowLoopback);
    expect(image).toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
  });

  it('drops Content-Type parameters and lower-cases the media type', async () => {
    const image = await fetchRemoteImage(`${base}/image-params.jpg`, allowLoopback);
    expect(image.mimeType).toBe('image/jpeg');
  });

  it('connects to the vetted address of an allow-listed name, resolving it once', async () => {
    const looked: string[] = [];
    const image = await fetchRemoteImage(`http://img.intranet.test:${port}/image.png`, {
      ...allowLoopback,
      allowedHosts: ['IMG.intranet.test.'],
      lookup: async (host) => {
        looked.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(image.data).toBe(PNG.toString('base64'));
    expect(looked).toEqual(['img.intranet.test']);
    expect(hits.at(-1)).toBe(`img.intranet.test:${port}/image.png`); // Host header keeps the name
  });

  it('accepts a name whose addresses are all allow-listed IPs', async () => {
    const image = await fetchRemoteImage(`http://cdn.intranet.test:${port}/image.png`, {
      ...allowLoopback,
      lookup: lookupTo('127.0.0.1'),
    });
    expect(image.mimeType).toBe('image/png');
  });

  it.each([
    ['10.0.0.1', /resolves to a private address/],
    ['169.254.169.254', /resolves to a private address/],
    ['::ffff:127.0.0.1', /resolves to a private address/],
    ['fd00::1', /resolves to a private address/],
  ])('refuses a public-looking name that resolves to %s', async (address, why) => {
    const err = await refusal(
      fetchRemoteImage('https://images.example.com/cat.png', {
        ...allowLoopback,
        allowedHosts: [],
        lookup: lookupTo(address),
      }),
    );
    expect(err.message).toContain('"images.example.com"');
    expect(err.message).toMatch(why);
  });

  it('refuses when any one of several addresses is private', async () => {
    const err = await refusal(
      fetchRemoteImage('https://images.example.com/cat.png', {
        ...allowLoopback,
        lookup: lookupTo('93.184.216.34', '10.1.2.3'),
      }),
    );
    expect(err.message).toMatch(/private address/);
  });

  it('refuses a name that does not resolve', async () => {
    const err = await refusal(
      fetchRemoteImage('https://nowhere.example.com/cat.png', {
        ...allowLoopback,
        lookup: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
        },
      }),
    );
    expect(err.message).toMatch(/could not be resolved \(ENOTFOUND\)/);
  });

  it.each([
    ['ftp://example.com/a.png', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['data:image/png;base64,AAAA', /only http and https/],
    ['http://user:secret@127.0.0.1/a.png', /credentials/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', async (url, why) => {
    const err = await refusal(fetchRemoteImage(url, allowLoopback));
    expect(err.message).toMatch(why);
    expect(err.message).not.toContain('secret');
  });

  it.each([
    ['/page.html', /not an image \(text\/html\)/],
    ['/drawing.svg', /SVG .*image\/svg\+xml/],
    ['/no-type', /not an image \(no Content-Type\)/],
    ['/missing.png', /HTTP 404/],
  ])('refuses %s', async (path, why) => {
    const err = await refusal(fetchRemoteImage(`${base}${path}`, allowLoopback));
    expect(err.message).toMatch(why);
    expect(err.message).toContain('"127.0.0.1"');
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const err = await refusal(fetchRemoteImage(`${base}/declared-huge.png`, allowLoopback));
    expect(err.message).toMatch(/larger than 20 MB/);
  });

  it('stops a chunked body (no Content-Length) once it passes the cap', async () => {
    const err = await refusal(
      fetchRemoteImage(`${base}/chunked-big.png`, { ...allowLoopback, maxBytes: 2048 }),
    );
    expect(err.message).toMatch(/larger than 2 KB/);
    // The same body fits under a larger cap, so the cap is what refused it.
    const image = await fetchRemoteImage(`${base}/chunked-big.png`, { ...allowLoopback, maxBytes: 8192 });
    expect(Buffer.from(image.data, 'base64').length).toBe(5120);
  });

  it('times out when the server never answers', async () => {
    const err = await refusal(
      fetchRemoteImage(`${base}/never-answers`, { ...allowLoopback, timeoutMs: 300 }),
    );
    expect(err.message).toMatch(/timed out after 0.3 s/);
  });

  it('times out when the body stalls', async () => {
    const err = await refusal(
      fetchRemoteImage(`${base}/slow-body.png`, { ...allowLoopback, timeoutMs: 300 }),
    );
    expect(err.message).toMatch(/timed out after 0.3 s/);
  });

  it('times out a DNS lookup that never answers', async () => {
    const err = await refusal(
      fetchRemoteImage('https://slow-dns.example.com/a.png', {
        ...allowLoopback,
        timeoutMs: 200,
        lookup: () => new Promise(() => undefined),
      }),
    );
    expect(err.message).toMatch(/"slow-dns.example.com".*timed out after 0.2 s/);
  });

  it('follows a redirect within allowed hosts', async () => {
    const image = await fetchRemoteImage(`${base}/to-image`, allowLoopback);
    expect(image.data).toBe(PNG.toString('base64'));
  });

  it('re-checks a redirect to another host: allowed name followed, using the vetted address', async () => {
    const image = await fetchRemoteImage(`${base}/to-named-host`, {
      ...allowLoopback,
      allowedHosts: ['127.0.0.1', 'img.intranet.test'],
      lookup: lookupTo('127.0.0.1'),
    });
    expect(image.mimeType).toBe('image/png');
  });

  it('refuses a redirect to a private address', async () => {
    const err = await refusal(fetchRemoteImage(`${base}/to-metadata`, allowLoopback));
    expect(err.message).toContain('"169.254.169.254"');
    expect(err.message).toMatch(/private/);
  });

  it('refuses a redirect to a name that resolves privately', async () => {
    const err = await refusal(
      fetchRemoteImage(`${base}/to-private-name`, { ...allowLoopback, lookup: lookupTo('192.168.0.10') }),
    );
    expect(err.message).toContain('"internal.example.com"');
    expect(err.message).toMatch(/resolves to a private address/);
  });

  it('refuses a redirect to another scheme', async () => {
    const err = await refusal(fetchRemoteImage(`${base}/to-ftp`, allowLoopback));
    expect(err.message).toMatch(/only http and https/);
  });

  it('stops after 3 redirects', async () => {
    const before = hits.filter((h) => h.endsWith('/loop')).length;
    const err = await refusal(fetchRemoteImage(`${base}/loop`, allowLoopback));
    expect(err.message).toMatch(/more than 3 redirects/);
    expect(hits.filter((h) => h.endsWith('/loop')).length - before).toBe(4);
  });

  it("aborts when the caller's signal fires", async () => {
    const controller = new AbortController();
    const pending = fetchRemoteImage(`${base}/never-answers`, allowLoopback, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const err = await refusal(pending);
    expect(err.message).toMatch(/cancelled/);
  });

  it('does not start when the signal is already aborted', async () => {
    const before = hits.length;
    const err = await refusal(fetchRemoteImage(`${base}/image.png`, allowLoopback, AbortSignal.abort()));
    expect(err.message).toMatch(/cancelled/);
    expect(hits.length).toBe(before);
  });
});
