/**
 * The ImageStore contract against the Tencent COS adapter, talking to a fake bucket that checks the
 * COS v5 signature of every API call. Links point at the configured TENCENT_DOMAIN, which only
 * exists in this test: `fetchUrl` reads the same path from the fake, as a CDN in front of it would.
 */
import { request } from 'undici';
import { CosImageStore } from '../../main/server/images/cos-store';
import { startFakeCos } from '../fakes/fake-cos';
import { guardNetwork } from '../unit/images/cloud-network-guard';
import { imageStoreContract } from './image-store-contract';

guardNetwork();

const DOMAIN = 'https://img.cos.example.test';

imageStoreContract('tencent', async () => {
  const credentials = { secretId: 'test-secret-id', secretKey: 'test-secret-key' };
  const fake = await startFakeCos(credentials);
  const store = new CosImageStore({
    ...credentials,
    region: 'ap-guangzhou',
    bucket: 'gemgate-1250000000',
    domain: DOMAIN,
    endpoint: fake.url,
    now: Date.now,
    // Cloud stores keep no totals: the image index does. Here the fake bucket plays the index.
    known: () => ({
      count: fake.objects.size,
      bytes: [...fake.objects.values()].reduce((sum, o) => sum + o.bytes.length, 0),
    }),
  });
  return {
    store,
    fetchUrl: async (url) => {
      if (!url.startsWith(`${DOMAIN}/`)) throw new Error(`${url} is not on ${DOMAIN}`);
      const res = await request(`${fake.url}${new URL(url).pathname}`);
      const contentType = res.headers['content-type'];
      return {
        status: res.statusCode,
        bytes: Buffer.from(await res.body.arrayBuffer()),
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      };
    },
    cleanup: async () => {
      await store.close();
      await fake.close();
    },
  };
});
