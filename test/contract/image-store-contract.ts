/**
 * The contract every ImageStore adapter must honour (DESIGN §6), as a reusable vitest suite:
 * `imageStoreContract('memory', async () => ({ store, fetchUrl, cleanup }))`. The cloud adapters run it
 * against local fakes of their services, so "fetchUrl" reads what the fake bucket holds.
 */
import { describe, expect, it } from 'vitest';
import { IMAGE_ID_PATTERN, type ImageStore } from '../../main/server/images/image-store';
import { makeJpeg, makePng } from '../fakes/fake-gemini';

export interface ContractSubject {
  store: ImageStore;
  /** Fetches the bytes behind a saved image's `url` the way a client would. */
  fetchUrl: (url: string) => Promise<{ status: number; bytes: Buffer; contentType: string | undefined }>;
  cleanup: () => Promise<void>;
}

export function imageStoreContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`ImageStore contract: ${name}`, () => {
    const withSubject = (test: (s: ContractSubject) => Promise<void>) => async () => {
      const subject = await setup();
      try {
        await test(subject);
      } finally {
        await subject.cleanup();
      }
    };

    it(
      'is usable when configured',
      withSubject(async ({ store }) => {
        expect(store.problem()).toBeUndefined();
      }),
    );

    it(
      'saves an image under a generated id and gives it back byte-identical',
      withSubject(async ({ store }) => {
        const png = makePng(1);
        const saved = await store.save({ bytes: png, mimeType: 'image/png' });
        expect(saved.id).toMatch(IMAGE_ID_PATTERN);
        expect(saved.mimeType).toBe('image/png');
        expect(saved.bytes).toBe(png.length);
        expect(saved.key).toContain(saved.id);
        const back = await store.get(saved.id);
        expect(back?.mimeType).toBe('image/png');
        expect(back?.bytes.equals(png)).toBe(true);
      }),
    );

    it(
      'serves the bytes at the returned url with the right content type',
      withSubject(async ({ store, fetchUrl }) => {
        const jpeg = makeJpeg(2);
        const saved = await store.save({ bytes: jpeg, mimeType: 'image/jpeg' });
        const fetched = await fetchUrl(saved.url);
        expect(fetched.status).toBe(200);
        expect(fetched.bytes.equals(jpeg)).toBe(true);
        expect(fetched.contentType).toContain('image/jpeg');
      }),
    );

    it(
      'never reuses an id, also under concurrency',
      withSubject(async ({ store }) => {
        const saved = await Promise.all(
          Array.from({ length: 40 }, (_, i) => store.save({ bytes: makePng(i), mimeType: 'image/png' })),
        );
        expect(new Set(saved.map((s) => s.id)).size).toBe(40);
        const back = await Promise.all(saved.map((s) => store.get(s.id)));
        back.forEach((b, i) => expect(b?.bytes.equals(makePng(i))).toBe(true));
      }),
    );

    it(
      'deletes what it is asked to, reports what it removed, and ignores unknown or hostile ids',
      withSubject(async ({ store }) => {
        const a = await store.save({ bytes: makePng(3), mimeType: 'image/png' });
        const b = await store.save({ bytes: makePng(4), mimeType: 'image/png' });
        const removed = await store.delete([a.id, 'missing-id', '../../etc/passwd', '']);
        expect(removed).toEqual([a.id]);
        expect(await store.get(a.id)).toBeUndefined();
        expect((await store.get(b.id))?.bytes.equals(makePng(4))).toBe(true);
        expect(await store.get('../../etc/passwd')).toBeUndefined();
      }),
    );

    it(
      'counts what it holds',
      withSubject(async ({ store }) => {
        const before = await store.stats();
        const one = makePng(5);
        const two = makePng(6);
        const a = await store.save({ bytes: one, mimeType: 'image/png' });
        await store.save({ bytes: two, mimeType: 'image/png' });
        const during = await store.stats();
        expect(during.count - before.count).toBe(2);
        expect(during.bytes - before.bytes).toBe(one.length + two.length);
        await store.delete([a.id]);
        const after = await store.stats();
        expect(after.count - before.count).toBe(1);
        expect(after.bytes - before.bytes).toBe(two.length);
      }),
    );
  });
}
