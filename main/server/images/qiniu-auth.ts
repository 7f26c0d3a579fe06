/**
 * Qiniu's management credential ("Qiniu <AK>:<sign>", developer.qiniu.com/kodo/1201/access-token),
 * signed here rather than by the SDK: qiniu@7.15.2's `generateAccessTokenV2` appends the port to a
 * `URL.host` that already carries it (`Host: 127.0.0.1:9000:9000`), so its management calls fail
 * against any host on a non-default port (QINIU_UPLOAD_URL of a private deployment, our fake).
 */
import { createHmac } from 'node:crypto';

/** Qiniu's URL-safe base64 (`+` → `-`, `/` → `_`, padding kept). */
export const urlsafeBase64 = (input: string | Buffer): string =>
  Buffer.from(input).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

/** EncodedEntryURI: which object a management operation is about. */
export const encodedEntry = (bucket: string, key: string): string => urlsafeBase64(`${bucket}:${key}`);

/** `X-Qiniu-Date` format, e.g. 20261126T072325Z (UTC). */
export const qiniuDate = (epochMs: number): string =>
  new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export interface QiniuSignedRequest {
  method: string;
  url: URL;
  contentType: string;
  body: string;
  /** Only `X-Qiniu-*` headers take part in the signature. */
  headers: Readonly<Record<string, string>>;
}

/** `x-qiniu-date` → `X-Qiniu-Date`, as the signature requires. */
const canonicalHeaderName = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');

export function qiniuAuthorization(accessKey: string, secretKey: string, req: QiniuSignedRequest): string {
  let signing = `${req.method.toUpperCase()} ${req.url.pathname}${req.url.search}\nHost: ${req.url.host}`;
  if (req.contentType !== '') signing += `\nContent-Type: ${req.contentType}`;
  const qiniuHeaders = Object.entries(req.headers)
    .map(([name, value]) => [canonicalHeaderName(name), value] as const)
    .filter(([name]) => name.startsWith('X-Qiniu-') && name.length > 'X-Qiniu-'.length)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of qiniuHeaders) signing += `\n${name}: ${value}`;
  signing += '\n\n';
  // The body is signed only for form and JSON bodies, never for raw bytes.
  if (req.body !== '' && req.contentType !== '' && req.contentType !== 'application/octet-stream') {
    signing += req.body;
  }
  const sign = urlsafeBase64(createHmac('sha1', secretKey).update(signing).digest());
  return `Qiniu ${accessKey}:${sign}`;
}
