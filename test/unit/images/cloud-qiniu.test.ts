/**
 * Qiniu adapter specifics beyond the shared contract: link URLs, configuration problems, how upload
 * failures surface, that the fake really checks the credentials, and which hosts production
 * settings would contact (the guard turns them away before DNS, so nothing leaves the machine).
 */
import qiniu from 'qiniu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { qiniuAuthorization, qiniuDate } from '../../../main/server/images/qiniu-auth';
import { QiniuImageStore, type QiniuImageStoreOptions } from '../../../main/server/images/qiniu-store';
import { makeJpeg, makePng } from '../../fakes/fake-gemini';
import { startFakeQiniu, type FakeQiniu } from '../../fakes/fake-qiniu';
import { guardNetwork } from './cloud-network-guard';

const guard = guardNetwork();

const credentials = { accessKey: 'test-ak', secretKey: 'test-sk', bucket: 'gemgate-images' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** urllib (under the qiniu SDK) prints "callback twice!!!" and a stack for every failed connection. */
const quietUrllib = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);

async function fakeQiniu(options: { now?: () => number } = {}): Promise<FakeQiniu> {
  const fake = await startFakeQiniu({ ...credentials, ...options });
  cleanups.push(() => fake.close());
  return fake;
}

function qiniuStore(overrides: Partial<QiniuImageStoreOptions>): QiniuImageStore {
  const store = new QiniuImageStore({
    ...credentials,
    domain: 'img.example.com',
    region: 'z0',
    now: Date.now,
    known: () => ({ count: 0, bytes: 0 }),
    ...overrides,
  });
  cleanups.push(() => store.close());
  return store;
}

describe('Qiniu image links', () => {
  it('uses https for a domain without scheme and puts images under gemgate/<id>.<ext>', async () => {
    const fake = await fakeQiniu();
    const store = qiniuStore({ domain: 'img.example.com', uploadUrl: fake.url });
    const saved = await store.save({ bytes: makePng(1), mimeType: 'image/png' });
    expect(saved.key).toBe(`gemgate/${saved.id}.png`);
    expect(saved.url).toBe(`https://img.example.com/gemgate/${saved.id}.png`);
    expect(fake.objects.get(saved.key)?.mimeType).toBe('image/png');
    // The fake checked the token and the crc32 of the file.
    expect(fake.requests.map((r) => [r.method, r.status, r.fields])).toEqual([
      ['POST', 200, ['token', 'key', 'file', 'crc32']],
    ]);
  });

  it('keeps the scheme a domain names, drops its trailing slash, and honours a key prefix', async () => {
    const fake = await fakeQiniu();
    const store = qiniuStore({
      domain: 'http://cdn.example.com:8080/',
      uploadUrl: fake.url,
      keyPrefix: 'ai/',
    });
    const saved = await store.save({ bytes: makeJpeg(1), mimeType: 'image/jpeg' });
    expect(saved.key).toBe(`ai/${saved.id}.jpg`);
    expect(saved.url).toBe(`http://cdn.example.com:8080/ai/${saved.id}.jpg`);
    expect([...fake.objects.keys()]).toEqual([saved.key]);
  });
});

describe('Qiniu configuration problems', () => {
  it('names every missing setting', () => {
    const store = qiniuStore({ accessKey: '', secretKey: '', bucket: '', domain: '', region: '' });
    expect(store.problem()).toBe(
      'Qiniu storage needs QINIU_ACCESS_KEY, QINIU_SECRET_KEY, QINIU_BUCKET_NAME, QINIU_BUCKET_DOMAIN, QINIU_REGION',
    );
    expect(qiniuStore({ accessKey: '', domain: ' ' }).problem()).toBe(
      'Qiniu storage needs QINIU_ACCESS_KEY, QINIU_BUCKET_DOMAIN',
    );
  });

  it('needs no region when QINIU_UPLOAD_URL replaces its hosts', () => {
    expect(qiniuStore({ region: '', uploadUrl: 'http://127.0.0.1:9' }).problem()).toBeUndefined();
    expect(qiniuStore({ region: 'z0', uploadUrl: 'ftp://up.example.com' }).problem()).toMatch(
      /QINIU_UPLOAD_URL/,
    );
  });

  it('refuses to save, read or delete while misconfigured, without contacting anything', async () => {
    const fake = await fakeQiniu();
    const store = qiniuStore({ secretKey: '', uploadUrl: fake.url, domain: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      'Qiniu storage needs QINIU_SECRET_KEY',
    );
    await expect(store.get('000000000-0000000000000000')).rejects.toThrow('QINIU_SECRET_KEY');
    await expect(store.delete(['000000000-0000000000000000'])).rejects.toThrow('QINIU_SECRET_KEY');
    expect(fake.requests).toEqual([]);
  });
});

describe('Qiniu upload failures become thrown errors', () => {
  it('an image type the gateway does not store, before contacting anything', async () => {
    const fake = await fakeQiniu();
    const store = qiniuStore({ uploadUrl: fake.url });
    await expect(store.save({ bytes: Buffer.from('<svg/>'), mimeType: 'image/svg+xml' })).rejects.toThrow(
      /Unsupported image type/,
    );
    expect(fake.requests).toEqual([]);
  });

  it('a file whose crc32 does not match (the fake checks it)', async () => {
    const fake = await fakeQiniu();
    const token = new qiniu.rs.PutPolicy({ scope: `${credentials.bucket}:k.png` }).uploadToken(
      new qiniu.auth.digest.Mac(credentials.accessKey, credentials.secretKey),
    );
    const uploader = new qiniu.form_up.FormUploader(
      new qiniu.conf.Config({
        regionsProvider: new qiniu.httpc.Region({
          services: { up: [new qiniu.httpc.Endpoint(new URL(fake.url).host)] },
        }),
      }),
    );
    const extra = new qiniu.form_up.PutExtra('k.png', {}, 'image/png', '12345');
    const answer = await uploader.put(token, 'k.png', makePng(1), extra);
    expect([answer.resp.statusCode, answer.data]).toEqual([406, { error: 'crc32 not match' }]);
    expect(fake.objects.size).toBe(0);
  });

  it('a wrong secret key: the fake recomputes the token and answers 401 bad token', async () => {
    const fake = await fakeQiniu();
    const store = qiniuStore({ secretKey: 'wrong-sk', uploadUrl: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /Qiniu refused the upload of gemgate\/\S+\.png to http:\/\/127\.0\.0\.1:\d+: HTTP 401 \(bad token\)/,
    );
    expect(fake.objects.size).toBe(0);
    expect(fake.requests.map((r) => [r.method, r.status])).toEqual([['POST', 401]]);
  });

  it('an expired token: the upload token lives minutes, not hours', async () => {
    const fake = await fakeQiniu({ now: () => Date.now() + 16 * 60_000 });
    const store = qiniuStore({ uploadUrl: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(/HTTP 401/);
  });

  it('a 5xx answer', async () => {
    const fake = await fakeQiniu();
    fake.failUploads = { status: 503, error: 'service unavailable' };
    const store = qiniuStore({ uploadUrl: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /HTTP 503 \(service unavailable\)/,
    );
    expect(fake.objects.size).toBe(0);
  });

  it('a dropped connection and a refused one', async () => {
    quietUrllib();
    const fake = await fakeQiniu();
    fake.failUploads = 'drop';
    const store = qiniuStore({ uploadUrl: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /^Qiniu upload of gemgate\/\S+ to http:\/\/127\.0\.0\.1:\d+ failed: /,
    );
    await fake.close();
    await expect(store.save({ bytes: makePng(2), mimeType: 'image/png' })).rejects.toThrow(
      /failed: .*ECONNREFUSED/,
    );
  });
});

describe('Qiniu reads and deletes', () => {
  it('finds an image saved before a restart by trying each extension, and deletes it', async () => {
    const fake = await fakeQiniu();
    const options = { uploadUrl: fake.url, domain: fake.url };
    const saved = await qiniuStore(options).save({ bytes: makeJpeg(3), mimeType: 'image/jpeg' });
    const restarted = qiniuStore(options);
    const back = await restarted.get(saved.id);
    expect(back?.mimeType).toBe('image/jpeg');
    expect(back?.bytes.equals(makeJpeg(3))).toBe(true);
    const unknown = '00000000a-0123456789abcdef';
    expect(await restarted.delete([unknown, saved.id, saved.id])).toEqual([saved.id]);
    expect(fake.objects.size).toBe(0);
    expect(await restarted.get(saved.id)).toBeUndefined();
  });

  it('signs deletes with its own secret: a wrong one is refused and nothing is removed', async () => {
    const fake = await fakeQiniu();
    const saved = await qiniuStore({ uploadUrl: fake.url }).save({
      bytes: makePng(4),
      mimeType: 'image/png',
    });
    const wrong = qiniuStore({ uploadUrl: fake.url, secretKey: 'wrong-sk' });
    await expect(wrong.delete([saved.id])).rejects.toThrow(/Qiniu delete failed: HTTP 401/);
    expect(fake.objects.has(saved.key)).toBe(true);
  });

  it('signs deletes itself: the SDK signs "Host: 127.0.0.1:<port>:<port>" and is refused off port 80/443', async () => {
    // Why ./qiniu-http signs the batch itself. If a future SDK fixes this, BucketManager could return.
    const fake = await fakeQiniu();
    const endpoint = new qiniu.httpc.Endpoint(new URL(fake.url).host, { defaultScheme: 'http' });
    const config = new qiniu.conf.Config({
      regionsProvider: new qiniu.httpc.Region({ services: { rs: [endpoint] } }),
    });
    const manager = new qiniu.rs.BucketManager(
      new qiniu.auth.digest.Mac(credentials.accessKey, credentials.secretKey),
      config,
    );
    const answer = await manager.delete(credentials.bucket, 'gemgate/x.png');
    expect(answer.resp.statusCode).toBe(401);
  });
});

describe('Qiniu management signature', () => {
  it("equals the SDK's on default ports, where the SDK gets the Host line right", () => {
    const mac = new qiniu.auth.digest.Mac(credentials.accessKey, credentials.secretKey);
    const at = Date.UTC(2026, 10, 26, 7, 23, 25);
    const date = qiniuDate(at);
    expect(date).toBe(qiniu.util.formatDateUTC(new Date(at), 'YYYYMMDDTHHmmssZ'));
    const url = 'https://rs-z0.qiniuapi.com/batch';
    const body = 'op=%2Fdelete%2FYjprLnBuZw%3D%3D&op=%2Fdelete%2FYjprLmpwZw%3D%3D';
    const contentType = 'application/x-www-form-urlencoded';
    expect(
      qiniuAuthorization(credentials.accessKey, credentials.secretKey, {
        method: 'POST',
        url: new URL(url),
        contentType,
        body,
        headers: { 'X-Qiniu-Date': date },
      }),
    ).toBe(qiniu.util.generateAccessTokenV2(mac, url, 'POST', contentType, body, { 'X-Qiniu-Date': date }));
  });
});

describe('Qiniu production hosts (turned away by the guard)', () => {
  const production = { region: 'z2', domain: 'img.example.com' };

  it('uploads over https to the region upload hosts and never asks uc.qiniuapi.com', async () => {
    quietUrllib();
    const store = qiniuStore(production);
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /Qiniu upload of \S+ to region z2 failed/,
    );
    const attempts = guard.take();
    expect(attempts.length).toBeGreaterThan(0);
    for (const { host, port } of attempts) {
      expect(host).toMatch(/^(upload|up)-z2\.(qiniup\.com|qbox\.me)$/);
      expect(port).toBe(443);
    }
  });

  it('deletes through the region rs host and reads from the bucket domain, both over https', async () => {
    const store = qiniuStore(production);
    await expect(store.delete(['00000000a-0123456789abcdef'])).rejects.toThrow();
    expect(guard.take()).toEqual([{ host: 'rs-z2.qiniuapi.com', port: 443 }]);
    await expect(store.get('00000000a-0123456789abcdef')).rejects.toThrow();
    expect(guard.take()).toEqual([{ host: 'img.example.com', port: 443 }]);
  });
});
