/**
 * The ImageStore contract against the Qiniu adapter, talking to a fake Kodo that checks the upload
 * token and the management credential. The fake is also the bucket domain (http://127.0.0.1:port),
 * so `get` and the returned URLs read what the fake bucket holds.
 */
import { request } from 'undici';
import { QiniuImageStore } from '../../main/server/images/qiniu-store';
import { startFakeQiniu } from '../fakes/fake-qiniu';
import { guardNetwork } from '../unit/images/cloud-network-guard';
import { imageStoreContract } from './image-store-contract';

guardNetwork();

imageStoreContract('qiniu', async () => {
  const credentials = { accessKey: 'test-ak', secretKey: 'test-sk', bucket: 'gemgate-images' };
  const fake = await startFakeQiniu(credentials);
  const store = new QiniuImageStore({
    ...credentials,
    domain: fake.url,
    region: 'z2',
    uploadUrl: fake.url,
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
      if (!url.startsWith(`${fake.url}/`)) throw new Error(`${url} is not on the bucket domain`);
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
