/**
 * A fake Qiniu Kodo on 127.0.0.1, in one node:http server playing three hosts:
 * - upload host: `POST /` multipart (token, key, file, crc32) — the upload token is recomputed from
 *   the secret key (`AK:urlsafe_b64(HMAC-SHA1(SK, encodedPolicy)):encodedPolicy`), its scope must
 *   cover the key and its deadline lie ahead, the crc32 must match the file;
 * - management host: `POST /batch` and `POST /delete/<EncodedEntryURI>` with the documented
 *   `Qiniu <AK>:<sign>` credential (developer.qiniu.com/kodo/1201/access-token), signed over the
 *   Host header as received;
 * - bucket domain: `GET /<key>` serves what was stored, with its content type.
 * Written from Qiniu's documentation, independently of the adapter's own signing code.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

export interface FakeQiniuOptions {
  accessKey: string;
  secretKey: string;
  bucket: string;
  now?: () => number;
}

export interface FakeQiniuObject {
  bytes: Buffer;
  mimeType: string;
  hash: string;
}

export interface FakeQiniuRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  host: string;
  /** The answer's status (0 while pending or when the connection was dropped). */
  status: number;
  /** Uploads: the multipart field names in order (so a test sees that crc32 was sent and checked). */
  fields?: string[];
}

export type FakeUploadFailure = { status: number; error: string } | 'drop';

export interface FakeQiniu {
  /** `http://127.0.0.1:<port>` — usable as upload URL and as bucket domain. */
  url: string;
  objects: Map<string, FakeQiniuObject>;
  requests: FakeQiniuRequest[];
  /** While set, uploads fail: an HTTP error with Qiniu's JSON body, or a dropped connection. */
  failUploads: FakeUploadFailure | undefined;
  close(): Promise<void>;
}

const urlsafeB64 = (bytes: Buffer): string =>
  bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
const fromUrlsafeB64 = (text: string): Buffer =>
  Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
const hmacSha1 = (key: string, data: string): Buffer => createHmac('sha1', key).update(data).digest();

/** Qiniu's etag of a file under 4 MB: 0x16 followed by its SHA-1, URL-safe base64. */
const qetag = (bytes: Buffer): string =>
  urlsafeB64(Buffer.concat([Buffer.from([0x16]), createHash('sha1').update(bytes).digest()]));

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A strict-enough multipart/form-data parser (binary safe). */
function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) throw new Error('no multipart boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) throw new Error('unterminated multipart body');
    const part = body.subarray(afterDelimiter + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
      data: part.subarray(headerEnd + 4),
    });
    start = next;
  }
  return parts;
}

interface PutPolicy {
  scope?: unknown;
  deadline?: unknown;
  isPrefixalScope?: unknown;
}

/** Why the upload token does not allow writing `key` now, or undefined when it does. */
function checkUploadToken(o: Required<FakeQiniuOptions>, token: string, key: string): string | undefined {
  const [accessKey, sign, encodedPolicy, ...rest] = token.split(':');
  if (rest.length > 0 || accessKey === undefined || sign === undefined || encodedPolicy === undefined) {
    return 'malformed token';
  }
  if (accessKey !== o.accessKey) return 'unknown access key';
  if (urlsafeB64(hmacSha1(o.secretKey, encodedPolicy)) !== sign) return 'signature mismatch';
  let policy: PutPolicy;
  try {
    policy = JSON.parse(fromUrlsafeB64(encodedPolicy).toString('utf8')) as PutPolicy;
  } catch {
    return 'policy is not JSON';
  }
  if (typeof policy.deadline !== 'number' || policy.deadline * 1000 <= o.now()) return 'token expired';
  if (typeof policy.scope !== 'string') return 'no scope';
  const [bucket, scopeKey] = policy.scope.split(/:(.*)/s);
  if (bucket !== o.bucket) return 'scope names another bucket';
  if (scopeKey === undefined) return undefined; // the whole bucket
  const covers = policy.isPrefixalScope === 1 ? key.startsWith(scopeKey) : key === scopeKey;
  return covers ? undefined : 'scope does not cover the key';
}

const canonicalHeaderName = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');

/** Checks a management request's `Qiniu AK:sign` credential per the documented algorithm. */
function checkManagementAuth(
  o: Required<FakeQiniuOptions>,
  req: IncomingMessage,
  body: Buffer,
): string | undefined {
  const auth = req.headers.authorization ?? '';
  const match = /^Qiniu ([^:]+):(\S+)$/.exec(auth);
  if (!match) return 'no Qiniu credential';
  if (match[1] !== o.accessKey) return 'unknown access key';
  const contentType = req.headers['content-type'] ?? '';
  let signing = `${req.method ?? ''} ${req.url ?? ''}\nHost: ${req.headers.host ?? ''}`;
  if (contentType !== '') signing += `\nContent-Type: ${contentType}`;
  const qiniuHeaders = Object.entries(req.headers)
    .map(([name, value]) => [canonicalHeaderName(name), String(value)] as const)
    .filter(([name]) => name.startsWith('X-Qiniu-') && name.length > 'X-Qiniu-'.length)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of qiniuHeaders) signing += `\n${name}: ${value}`;
  signing += '\n\n';
  if (body.length > 0 && contentType !== '' && contentType !== 'application/octet-stream')
    signing += body.toString();
  if (urlsafeB64(hmacSha1(o.secretKey, signing)) !== match[2]) return 'signature mismatch';
  const date = req.headers['x-qiniu-date'];
  if (typeof date === 'string') {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    const at = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
    if (!(Math.abs(at - o.now()) <= 15 * 60_000)) return 'X-Qiniu-Date too far from now';
  }
  return undefined;
}

export async function startFakeQiniu(options: FakeQiniuOptions): Promise<FakeQiniu> {
  const o: Required<FakeQiniuOptions> = { now: Date.now, ...options };
  const objects = new Map<string, FakeQiniuObject>();
  const requests: FakeQiniuRequest[] = [];
  const fake = { objects, requests, failUploads: undefined as FakeUploadFailure | undefined };

  /** Deletes `bucket:key` named by an EncodedEntryURI; the Qiniu code of the outcome. */
  const deleteEntry = (entry: string): { code: number; data?: { error: string } } => {
    const [bucket, key] = fromUrlsafeB64(entry).toString('utf8').split(/:(.*)/s);
    if (bucket !== o.bucket || key === undefined) return { code: 631, data: { error: 'no such bucket' } };
    return objects.delete(key) ? { code: 200 } : { code: 612, data: { error: 'no such file or directory' } };
  };

  const upload = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    record: FakeQiniuRequest,
  ): Promise<void> => {
    const failure = fake.failUploads;
    if (failure === 'drop') {
      req.socket.destroy();
      return;
    }
    if (failure) return sendJson(res, failure.status, { error: failure.error });
    let parts: FormPart[];
    try {
      parts = parseMultipart(body, req.headers['content-type'] ?? '');
    } catch (err) {
      return sendJson(res, 400, { error: `bad multipart: ${(err as Error).message}` });
    }
    record.fields = parts.map((p) => p.name);
    const field = (name: string) => parts.find((p) => p.name === name);
    const token = field('token')?.data.toString('utf8');
    const key = field('key')?.data.toString('utf8');
    const file = field('file');
    if (token === undefined || key === undefined || file === undefined) {
      return sendJson(res, 400, { error: 'token, key and file are required' });
    }
    if (checkUploadToken(o, token, key) !== undefined) return sendJson(res, 401, { error: 'bad token' });
    const sentCrc = field('crc32')?.data.toString('utf8');
    if (sentCrc !== undefined && sentCrc !== String(crc32(file.data))) {
      return sendJson(res, 406, { error: 'crc32 not match' });
    }
    const hash = qetag(file.data);
    objects.set(key, {
      bytes: Buffer.from(file.data),
      mimeType: file.contentType ?? 'application/octet-stream',
      hash,
    });
    sendJson(res, 200, { hash, key });
  };

  const manage = (req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void => {
    if (checkManagementAuth(o, req, body) !== undefined) return sendJson(res, 401, { error: 'bad token' });
    if (path === '/batch') {
      const items = new URLSearchParams(body.toString('utf8')).getAll('op').map((op) => {
        const [, action, entry] = op.split('/');
        return action === 'delete' && entry
          ? deleteEntry(entry)
          : { code: 400, data: { error: 'unsupported op' } };
      });
      return sendJson(res, items.every((item) => item.code === 200) ? 200 : 298, items);
    }
    const { code, data } = deleteEntry(path.slice('/delete/'.length));
    sendJson(res, code, data ?? {});
  };

  const serveObject = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    let key: string;
    try {
      key = decodeURIComponent(path.slice(1));
    } catch {
      return sendJson(res, 400, { error: 'bad path' });
    }
    const object = objects.get(key);
    if (!object) return sendJson(res, 404, { error: 'Document not found' });
    res.writeHead(200, {
      'content-type': object.mimeType,
      'content-length': object.bytes.length,
      etag: `"${object.hash}"`,
    });
    res.end(req.method === 'HEAD' ? undefined : object.bytes);
  };

  const server = createServer((req, res) => {
    const record: FakeQiniuRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      host: req.headers.host ?? '',
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    readBody(req)
      .then(async (body) => {
        if (req.method === 'POST' && path === '/') return upload(req, res, body, record);
        if (req.method === 'POST' && (path === '/batch' || path.startsWith('/delete/')))
          return manage(req, res, path, body);
        if (req.method === 'GET' || req.method === 'HEAD') return serveObject(req, res, path);
        sendJson(res, 405, { error: 'method not allowed' });
      })
      .catch((err: unknown) => sendJson(res, 500, { error: String(err) }));
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
export const TEST_QINIU = { accessKey: 'test-ak', secretKey: 'test-sk', bucket: 'gemgate-images' };

/** The gateway settings of a Qiniu store on `fake` (uploads and links both on the fake). */
export const qiniuSettings = (fake: FakeQiniu) => ({
  imageStorageType: 'qiniu' as const,
  qiniuAccessKey: TEST_QINIU.accessKey,
  qiniuSecretKey: TEST_QINIU.secretKey,
  qiniuBucketName: TEST_QINIU.bucket,
  qiniuBucketDomain: fake.url,
  qiniuUploadUrl: fake.url,
});
