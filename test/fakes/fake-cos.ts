/**
 * A fake Tencent COS bucket on 127.0.0.1 (the bucket is implied by the host, as in virtual-hosted
 * style): PUT/GET/HEAD/DELETE `/<key>` and multi-delete `POST /?delete`. Every signed request is
 * checked with the COS v5 algorithm (cloud.tencent.com/document/product/436/7778), written from the
 * documentation and independently of the SDK:
 *   SignKey       = HMAC-SHA1(SecretKey, q-key-time)                       (hex)
 *   HttpString    = method \n path \n params \n headers \n                  (listed names, sorted,
 *                   lower-cased and URL-encoded names, URL-encoded values)
 *   StringToSign  = sha1 \n q-sign-time \n SHA1(HttpString) \n
 *   Signature     = HMAC-SHA1(SignKey, StringToSign)                        (hex)
 * A mismatch answers 403 with COS's XML error. Unsigned GET/HEAD are allowed (public-read bucket,
 * what image links rely on); everything else must be signed.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCosOptions {
  secretId: string;
  secretKey: string;
  now?: () => number;
}

export interface FakeCosObject {
  bytes: Buffer;
  mimeType: string;
}

export interface FakeCosRequest {
  method: string;
  url: string;
  host: string;
  signed: boolean;
  /** The answer's status (0 while pending or when the connection was dropped). */
  status: number;
}

export type FakeCosFailure = { status: number; code: string } | 'drop';

export interface FakeCos {
  /** `http://127.0.0.1:<port>` — the endpoint (TENCENT_ENDPOINT) of the one bucket. */
  url: string;
  objects: Map<string, FakeCosObject>;
  requests: FakeCosRequest[];
  /** While set, uploads (PUT) fail: an HTTP error with COS's XML body, or a dropped connection. */
  failUploads: FakeCosFailure | undefined;
  close(): Promise<void>;
}

/** encodeURIComponent plus the characters COS also escapes. */
const cosEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmacSha1Hex = (key: string, data: string): string => createHmac('sha1', key).update(data).digest('hex');
const sha1Hex = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex');
const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlUnescape = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function sendXml(res: ServerResponse, status: number, xml: string): void {
  const body = `<?xml version='1.0' encoding='utf-8' ?>\n${xml}`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-cos-request-id': `fake-${Date.now()}`,
  });
  res.end(body);
}

const sendError = (res: ServerResponse, status: number, code: string, message: string): void =>
  sendXml(res, status, `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`);

interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** `name=value&…` of the listed names, sorted, as HttpParameters / HttpHeaders want them. */
function canonicalPairs(
  names: readonly string[],
  valueOf: (name: string) => string | undefined,
): string | Refusal {
  const pairs: string[] = [];
  for (const name of [...names].sort()) {
    const value = valueOf(name);
    if (value === undefined)
      return { status: 403, code: 'SignatureDoesNotMatch', message: `signed "${name}" is missing` };
    pairs.push(`${cosEncode(name).toLowerCase()}=${cosEncode(value)}`);
  }
  return pairs.join('&');
}

/** Why a request's signature is not valid, or undefined when it is. */
function checkSignature(o: Required<FakeCosOptions>, req: IncomingMessage, url: URL): Refusal | undefined {
  const fields = new Map(
    (req.headers.authorization ?? '').split('&').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)] as const;
    }),
  );
  const need = (name: string) => fields.get(name) ?? '';
  if (need('q-sign-algorithm') !== 'sha1')
    return { status: 403, code: 'AccessDenied', message: 'unsupported algorithm' };
  if (need('q-ak') !== o.secretId)
    return { status: 403, code: 'InvalidAccessKeyId', message: 'unknown SecretId' };
  const [start, end] = need('q-sign-time').split(';').map(Number);
  const nowSeconds = o.now() / 1000;
  if (!(start !== undefined && end !== undefined && start <= nowSeconds + 1 && nowSeconds <= end)) {
    return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
  }
  const headerNames = need('q-header-list')
    .split(';')
    .filter((n) => n !== '');
  if (!headerNames.includes('host'))
    return { status: 403, code: 'AccessDenied', message: 'host is not signed' };
  const headers = canonicalPairs(headerNames, (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  });
  if (typeof headers !== 'string') return headers;
  const query = new Map([...url.searchParams].map(([name, value]) => [name.toLowerCase(), value]));
  const params = canonicalPairs(
    need('q-url-param-list')
      .split(';')
      .filter((n) => n !== ''),
    (name) => query.get(name),
  );
  if (typeof params !== 'string') return params;
  const httpString = `${(req.method ?? '').toLowerCase()}\n${decodeURIComponent(url.pathname)}\n${params}\n${headers}\n`;
  const stringToSign = `sha1\n${need('q-sign-time')}\n${sha1Hex(httpString)}\n`;
  const signKey = hmacSha1Hex(o.secretKey, need('q-key-time'));
  if (hmacSha1Hex(signKey, stringToSign) !== need('q-signature')) {
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The calculated signature does not match' };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeCos(options: FakeCosOptions): Promise<FakeCos> {
  const o: Required<FakeCosOptions> = { now: Date.now, ...options };
  const objects = new Map<string, FakeCosObject>();
  const requests: FakeCosRequest[] = [];
  const fake = { objects, requests, failUploads: undefined as FakeCosFailure | undefined };

  const multiDelete = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const md5 = req.headers['content-md5'];
    if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
      return sendError(res, 400, 'InvalidDigest', 'Content-MD5 does not match the body');
    }
    const keys = [...body.toString('utf8').matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) =>
      xmlUnescape(m[1] ?? ''),
    );
    // Like S3, COS reports a key that did not exist as deleted.
    for (const key of keys) objects.delete(key);
    sendXml(
      res,
      200,
      `<DeleteResult>${keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('')}</DeleteResult>`,
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void => {
    const method = req.method ?? '';
    const unsignedRead = req.headers.authorization === undefined && (method === 'GET' || method === 'HEAD');
    if (!unsignedRead) {
      const refusal = checkSignature(o, req, url);
      if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
    }
    if (method === 'POST' && url.pathname === '/' && url.searchParams.has('delete'))
      return multiDelete(req, res, body);
    const key = decodeURIComponent(url.pathname.slice(1));
    if (key === '') return sendError(res, 400, 'InvalidRequest', 'bucket operations are not faked');
    if (method === 'PUT') {
      const failure = fake.failUploads;
      if (failure === 'drop') return void req.socket.destroy();
      if (failure) return sendError(res, failure.status, failure.code, 'failure injected by the test');
      const mimeType = req.headers['content-type'] ?? 'application/octet-stream';
      objects.set(key, { bytes: body, mimeType });
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'content-length': 0 });
      return void res.end();
    }
    if (method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return void res.end();
    }
    if (method === 'GET' || method === 'HEAD') {
      const object = objects.get(key);
      if (!object) {
        if (method === 'HEAD') return void res.writeHead(404, { 'content-length': 0 }).end();
        return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      }
      res.writeHead(200, {
        'content-type': object.mimeType,
        'content-length': object.bytes.length,
        etag: `"${createHash('md5').update(object.bytes).digest('hex')}"`,
      });
      return void res.end(method === 'HEAD' ? undefined : object.bytes);
    }
    sendError(res, 405, 'MethodNotAllowed', `${method} is not faked`);
  };

  const server = createServer((req, res) => {
    const record: FakeCosRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      host: req.headers.host ?? '',
      signed: req.headers.authorization !== undefined,
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const url = new URL(req.url ?? '/', 'http://fake');
    readBody(req)
      .then((body) => handle(req, res, url, body))
      .catch((err: unknown) => sendError(res, 500, 'InternalError', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Credentials the fakes of the image tests agree on. */
export const TEST_COS = { secretId: 'test-secret-id', secretKey: 'test-secret-key' };

/** The gateway settings of a COS store on `fake` (links on the bucket's default domain unless set). */
export const cosSettings = (fake: FakeCos) => ({
  imageStorageType: 'tencent' as const,
  tencentSecretId: TEST_COS.secretId,
  tencentSecretKey: TEST_COS.secretKey,
  tencentRegion: 'ap-guangzhou',
  tencentBucket: 'gemgate-1250000000',
  tencentEndpoint: fake.url,
});
