/**
 * A misconfigured image store is announced on the log bus — what the headless console, the desktop
 * log view and the web admin's live log read — as a warning naming exactly the missing settings: at
 * start, and when the settings switch to a broken store while running. /health says the same
 * (images-upload-failure.test.ts); a usable store logs nothing of the kind.
 *
 * The headless console subscribes to the bus after the core is built, when the start-up warning has
 * already been published: the last test runs the real process to see it reach stdout too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { startHeadless } from '../support/headless-process';

const QINIU_NAMES = ['QINIU_ACCESS_KEY', 'QINIU_SECRET_KEY', 'QINIU_BUCKET_NAME', 'QINIU_BUCKET_DOMAIN'];
const COS_COMPLETE: Partial<Settings> = {
  imageStorageType: 'tencent',
  tencentSecretId: 'AKID-visible-id',
  tencentSecretKey: 'cos-secret-key-value',
  tencentRegion: 'ap-guangzhou',
  tencentBucket: 'gemgate-1250000000',
};

let fake: FakeGemini;
let gw: TestGateway | undefined;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const start = async (settings: Partial<Settings>): Promise<TestGateway> =>
  (gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY], settings }));

const storeWarnings = (g: TestGateway): string[] =>
  g.core.log
    .recent()
    .filter((e) => e.level === 'warn' && e.message.startsWith('Image storage'))
    .map((e) => e.message);

describe('the start-up warning on the log bus', () => {
  it('Qiniu without credentials: one warning naming each missing setting', async () => {
    const g = await start({ imageStorageType: 'qiniu' });
    const warnings = storeWarnings(g);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Image storage "qiniu" is not usable \(Qiniu storage needs .+\)/);
    for (const name of QINIU_NAMES) expect(warnings[0]).toContain(name);
    // The region has a default (z0): not missing.
    expect(warnings[0]).not.toContain('QINIU_REGION');
    expect(warnings[0]).toContain('returned inline');
  });

  it('COS missing only its secret key: that one setting is named, no value is shown', async () => {
    const g = await start({ ...COS_COMPLETE, tencentSecretKey: '' });
    const warnings = storeWarnings(g);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'Image storage "tencent" is not usable (Tencent COS storage needs TENCENT_SECRET_KEY)',
    );
    expect(warnings[0]).not.toContain('TENCENT_SECRET_ID');
    expect(warnings[0]).not.toContain(COS_COMPLETE.tencentSecretId);
  });

  it('a usable store logs no such warning', async () => {
    const g = await start(COS_COMPLETE);
    expect(g.core.images.status().problem).toBeNull();
    expect(storeWarnings(g)).toEqual([]);
  });

  it('switching to a broken store while running warns once more', async () => {
    const g = await start({ imageStorageType: 'memory' });
    expect(storeWarnings(g)).toEqual([]);
    g.settings.update({ imageStorageType: 'qiniu', qiniuAccessKey: 'test-ak' });
    const warnings = storeWarnings(g);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('QINIU_SECRET_KEY');
    expect(warnings[0]).not.toContain('QINIU_ACCESS_KEY');
  });
});

describe('the headless console', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'gemgate-store-warning-'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prints the warning published while the core was being built', async () => {
    const proc = await startHeadless({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(scratch, 'data'),
      PROXY_URL: fake.url,
      IMAGE_STORAGE_TYPE: 'qiniu',
    });
    await proc.waitForOutput(/Gemgate \S+ listening on http/);
    expect(proc.output()).toMatch(
      /WARN +Image storage "qiniu" is not usable \(Qiniu storage needs QINIU_ACCESS_KEY/,
    );
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
