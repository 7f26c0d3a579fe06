/**
 * The two Qiniu calls the SDK does not make for us: reading an object back from the bucket domain
 * (public GET) and the management batch delete (signed in ./qiniu-auth).
 */
import { request, type Dispatcher } from 'undici';
import { encodedEntry, qiniuAuthorization, qiniuDate } from './qiniu-auth';

/** Generated images are a few MB; anything far larger is not one of ours. */
const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
/** Qiniu's documented limit of operations in one batch request. */
const MAX_BATCH_OPS = 1000;

export type Download = { found: false } | { found: true; bytes: Buffer; contentType: string | undefined };

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** GET `url`; `found: false` on 404, a thrown Error on any other failure. */
export async function downloadObject(url: string, dispatcher: Dispatcher): Promise<Download> {
  const res = await request(url, { method: 'GET', dispatcher });
  if (res.statusCode === 404) {
    await res.body.dump();
    return { found: false };
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`Qiniu download of ${url} failed: HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_DOWNLOAD_BYTES) {
      res.body.on('error', () => undefined);
      res.body.destroy();
      throw new Error(`Qiniu download of ${url} is larger than ${MAX_DOWNLOAD_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return {
    found: true,
    bytes: Buffer.concat(chunks, total),
    contentType: firstHeader(res.headers['content-type']),
  };
}

export interface BatchDeleteTarget {
  accessKey: string;
  secretKey: string;
  bucket: string;
  rsOrigin: string;
  now: () => number;
  dispatcher: Dispatcher;
}

interface BatchItem {
  code?: unknown;
  data?: unknown;
}

/**
 * Deletes `keys` with POST /batch; resolves with the keys that existed and are gone. "No such
 * file" (612) is not an error: callers ask for candidate keys that may not exist.
 */
export async function batchDelete(target: BatchDeleteTarget, keys: readonly string[]): Promise<Set<string>> {
  const removed = new Set<string>();
  for (let start = 0; start < keys.length; start += MAX_BATCH_OPS) {
    const chunk = keys.slice(start, start + MAX_BATCH_OPS);
    const items = await postBatch(target, chunk);
    chunk.forEach((key, i) => {
      const item = items[i];
      if (item?.code === 200) removed.add(key);
      else if (item?.code !== 612) throw new Error(`Qiniu could not delete ${key}: ${JSON.stringify(item)}`);
    });
  }
  return removed;
}

async function postBatch(target: BatchDeleteTarget, keys: readonly string[]): Promise<BatchItem[]> {
  const url = new URL('/batch', target.rsOrigin);
  const body = keys
    .map((key) => `op=${encodeURIComponent(`/delete/${encodedEntry(target.bucket, key)}`)}`)
    .join('&');
  const contentType = 'application/x-www-form-urlencoded';
  const qiniuHeaders = { 'X-Qiniu-Date': qiniuDate(target.now()) };
  const authorization = qiniuAuthorization(target.accessKey, target.secretKey, {
    method: 'POST',
    url,
    contentType,
    body,
    headers: qiniuHeaders,
  });
  const res = await request(url, {
    method: 'POST',
    headers: { ...qiniuHeaders, 'Content-Type': contentType, Authorization: authorization },
    body,
    dispatcher: target.dispatcher,
  });
  const text = await res.body.text();
  // 200: every operation succeeded; 298: some did not (the items say which).
  if (res.statusCode !== 200 && res.statusCode !== 298) {
    throw new Error(`Qiniu delete failed: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
  }
  const items: unknown = JSON.parse(text);
  if (!Array.isArray(items) || items.length !== keys.length) {
    throw new Error('Qiniu delete failed: unexpected batch answer');
  }
  return items as BatchItem[];
}
