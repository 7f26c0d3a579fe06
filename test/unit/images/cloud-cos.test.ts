/**
 * Tencent COS adapter specifics beyond the shared contract: link URLs, configuration problems, how
 * failures surface, that the fake really checks the signature, and which host production settings
 * would contact (the guard turns it away before DNS, so nothing leaves the machine).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { settingSpecs } from '../../../shared/settings-schema';
import { CosImageStore, type CosImageStoreOptions } from '../../../main/server/images/cos-store';
import { makeJpeg, makePng } from '../../fakes/fake-gemini';
import { startFakeCos, type FakeCos } from '../../fakes/fake-cos';
import { guardNetwork } from './cloud-network-guard';

const guard = guardNetwork();

const credentials = { secretId: 'test-secret-id', secretKey: 'test-secret-key' };
const bucket = { bucket: 'gemgate-1250000000', region: 'ap-guangzhou' };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeCos(): Promise<FakeCos> {
  const fake = await startFakeCos(credentials);
  cleanups.push(() => fake.close());
  return fake;
}

function cosStore(overrides: Partial<CosImageStoreOptions>): CosImageStore {
  const store = new CosImageStore({
    ...credentials,
    ...bucket,
    now: Date.now,
    known: () => ({ count: 0, bytes: 0 }),
    ...overrides,
  });
  cleanups.push(() => store.close());
  return store;
}

describe('COS image links', () => {
  it('default to the bucket domain over https, under gemgate/<id>.<ext>', async () => {
    const fake = await fakeCos();
    const saved = await cosStore({ endpoint: fake.url }).save({ bytes: makePng(1), mimeType: 'image/png' });
    expect(saved.key).toBe(`gemgate/${saved.id}.png`);
    expect(saved.url).toBe(
      `https://gemgate-1250000000.cos.ap-guangzhou.myqcloud.com/gemgate/${saved.id}.png`,
    );
    expect(fake.objects.get(saved.key)?.mimeType).toBe('image/png');
    expect(fake.requests.map((r) => [r.method, r.url, r.signed])).toEqual([['PUT', `/${saved.key}`, true]]);
  });

  it('use TENCENT_DOMAIN: https when it has no scheme, its own scheme otherwise, and a key prefix', async () => {
    const fake = await fakeCos();
    const plain = await cosStore({ endpoint: fake.url, domain: 'img.example.com' }).save({
      bytes: makePng(1),
      mimeType: 'image/png',
    });
    expect(plain.url).toBe(`https://img.example.com/gemgate/${plain.id}.png`);
    const custom = await cosStore({
      endpoint: fake.url,
      domain: 'http://cdn.example.com/',
      keyPrefix: 'ai/',
    }).save({
      bytes: makeJpeg(1),
      mimeType: 'image/jpg',
    });
    expect(custom.url).toBe(`http://cdn.example.com/ai/${custom.id}.jpg`);
    expect(custom.mimeType).toBe('image/jpeg');
  });
});

describe('COS configuration problems', () => {
  it('names every missing setting', () => {
    expect(cosStore({ secretId: '', secretKey: '', region: '', bucket: '' }).problem()).toBe(
      'Tencent COS storage needs TENCENT_SECRET_ID, TENCENT_SECRET_KEY, TENCENT_REGION, TENCENT_BUCKET',
    );
    expect(cosStore({ secretKey: '', bucket: '' }).problem()).toBe(
      'Tencent COS storage needs TENCENT_SECRET_KEY, TENCENT_BUCKET',
    );
    expect(cosStore({}).problem()).toBeUndefined();
  });

  it('explains a bucket without APPID and an endpoint that is no http(s) URL', () => {
    expect(cosStore({ bucket: 'images' }).problem()).toMatch(/TENCENT_BUCKET must end with the APPID/);
    expect(cosStore({ endpoint: 'cos.example.com' }).problem()).toMatch(/TENCENT_ENDPOINT/);
    expect(cosStore({ endpoint: 'http://[bad' }).problem()).toMatch(/TENCENT_ENDPOINT/);
  });

  it('accepts exactly the regions the settings schema accepts (ap-beijing-1 has a digit)', () => {
    const schema = settingSpecs.tencentRegion.schema;
    for (const region of ['ap-guangzhou', 'ap-beijing-1', 'ap-shanghai-fsi', 'na-siliconvalley']) {
      expect(schema.safeParse(region).success).toBe(true);
      expect(cosStore({ region }).problem()).toBeUndefined();
    }
    for (const region of ['AP-Guangzhou', 'guangzhou', 'ap_beijing', 'ap-guangzhou.evil.com']) {
      expect(schema.safeParse(region).success).toBe(false);
      expect(cosStore({ region }).problem()).toMatch(/^TENCENT_REGION must be a COS region/);
    }
  });

  it('refuses to save, read or delete while misconfigured, without contacting anything', async () => {
    const fake = await fakeCos();
    const store = cosStore({ secretKey: '', endpoint: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      'Tencent COS storage needs TENCENT_SECRET_KEY',
    );
    await expect(store.get('000000000-0000000000000000')).rejects.toThrow('TENCENT_SECRET_KEY');
    await expect(store.delete(['000000000-0000000000000000'])).rejects.toThrow('TENCENT_SECRET_KEY');
    expect(fake.requests).toEqual([]);
  });
});

describe('COS failures become thrown errors', () => {
  it('an image type the gateway does not store, before contacting anything', async () => {
    const fake = await fakeCos();
    const store = cosStore({ endpoint: fake.url });
    await expect(store.save({ bytes: Buffer.from('<svg/>'), mimeType: 'image/svg+xml' })).rejects.toThrow(
      /Unsupported image type/,
    );
    expect(fake.requests).toEqual([]);
  });

  it('a wrong SecretKey: the fake recomputes the signature and answers 403 SignatureDoesNotMatch', async () => {
    const fake = await fakeCos();
    const store = cosStore({ endpoint: fake.url, secretKey: 'wrong-secret-key' });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /^COS upload of gemgate\/\S+\.png failed: HTTP 403 SignatureDoesNotMatch/,
    );
    expect(fake.objects.size).toBe(0);
    expect(fake.requests.map((r) => [r.method, r.status])).toEqual([['PUT', 403]]);
  });

  it('a wrong SecretKey also fails reads and deletes instead of passing for "not found"', async () => {
    const fake = await fakeCos();
    const saved = await cosStore({ endpoint: fake.url }).save({ bytes: makePng(2), mimeType: 'image/png' });
    const wrong = cosStore({ endpoint: fake.url, secretKey: 'wrong-secret-key' });
    await expect(wrong.get(saved.id)).rejects.toThrow(/HTTP 403 SignatureDoesNotMatch/);
    await expect(wrong.delete([saved.id])).rejects.toThrow(/HTTP 403/);
    expect(fake.objects.has(saved.key)).toBe(true);
  });

  it('an unknown SecretId', async () => {
    const fake = await fakeCos();
    const store = cosStore({ endpoint: fake.url, secretId: 'someone-else' });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /HTTP 403 InvalidAccessKeyId/,
    );
  });

  it('a 5xx answer (after the SDK retried it)', async () => {
    const fake = await fakeCos();
    fake.failUploads = { status: 503, code: 'ServiceUnavailable' };
    const store = cosStore({ endpoint: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /failed: HTTP 503 ServiceUnavailable/,
    );
    expect(fake.requests.length).toBeGreaterThan(1);
    expect(fake.objects.size).toBe(0);
  });

  it('a dropped connection and a refused one', async () => {
    const fake = await fakeCos();
    fake.failUploads = 'drop';
    const store = cosStore({ endpoint: fake.url });
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(
      /^COS upload of gemgate\/\S+ failed: /,
    );
    await fake.close();
    await expect(store.save({ bytes: makePng(2), mimeType: 'image/png' })).rejects.toThrow(
      /failed: .*ECONNREFUSED/,
    );
  });
});

describe('COS reads and deletes', () => {
  it('finds an image saved before a restart by trying each extension, and deletes it', async () => {
    const fake = await fakeCos();
    const saved = await cosStore({ endpoint: fake.url }).save({ bytes: makeJpeg(3), mimeType: 'image/jpeg' });
    const restarted = cosStore({ endpoint: fake.url });
    const back = await restarted.get(saved.id);
    expect(back?.mimeType).toBe('image/jpeg');
    expect(back?.bytes.equals(makeJpeg(3))).toBe(true);
    expect(await restarted.delete([saved.id, saved.id])).toEqual([saved.id]);
    expect(fake.objects.size).toBe(0);
    expect(await restarted.get(saved.id)).toBeUndefined();
  });

  it('reports only ids that existed, although COS answers "deleted" for missing keys', async () => {
    const fake = await fakeCos();
    const store = cosStore({ endpoint: fake.url });
    const saved = await store.save({ bytes: makePng(5), mimeType: 'image/png' });
    const neverSaved = '00000000a-0123456789abcdef';
    expect(await store.delete([neverSaved, saved.id])).toEqual([saved.id]);
    const multiDeletes = fake.requests.filter((r) => r.method === 'POST');
    expect(multiDeletes.map((r) => [r.url, r.status])).toEqual([['/?delete=', 200]]);
    expect(await store.delete([neverSaved])).toEqual([]);
  });
});

describe('COS production host (turned away by the guard)', () => {
  it('calls the bucket domain over https', async () => {
    const store = cosStore({});
    await expect(store.save({ bytes: makePng(1), mimeType: 'image/png' })).rejects.toThrow(/^COS upload of/);
    const attempts = guard.take();
    expect(attempts.length).toBeGreaterThan(0);
    for (const { host, port } of attempts) {
      // The SDK's last retry may switch to its backup domain.
      expect(host).toMatch(/^gemgate-1250000000\.cos\.ap-guangzhou\.(myqcloud\.com|tencentcos\.cn)$/);
      expect(port).toBe(443);
    }
  });
});
