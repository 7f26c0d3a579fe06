/**
 * Where IMAGE_STORAGE_TYPE=local keeps its files: IMAGE_STORAGE_DIR when set — created when missing,
 * nothing written to DATA_DIR/images — otherwise DATA_DIR/images. The link serves the file's bytes,
 * and a changed IMAGE_STORAGE_DIR takes the next image without a restart.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';

let fake: FakeGemini;
let scratch: string;
let gw: TestGateway | undefined;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gemgate-image-dir-'));
  // As the composition roots do before building the core.
  mkdirSync(join(scratch, 'data'));
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  rmSync(scratch, { recursive: true, force: true });
});

const start = async (imageStorageDir?: string): Promise<TestGateway> =>
  (gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY],
    dataDir: join(scratch, 'data'),
    settings: { imageStorageType: 'local', ...(imageStorageDir === undefined ? {} : { imageStorageDir }) },
  }));

/** Draws one image; its file name (`<id>.png`) and the bytes its link serves. */
async function draw(g: TestGateway): Promise<{ file: string; served: Buffer }> {
  const res = await g.openai.images.generate({ prompt: 'a cat' });
  const url = res.data?.[0]?.url ?? '';
  const file = /\/images\/([0-9a-z]{9}-[0-9a-f]{16}\.png)$/.exec(url)?.[1];
  if (file === undefined) throw new Error(`not a gateway image URL: ${url}`);
  const served = await fetch(url);
  expect(served.status).toBe(200);
  return { file, served: Buffer.from(await served.arrayBuffer()) };
}

const pngsIn = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')) : [];

describe('IMAGE_STORAGE_DIR', () => {
  it('set: the folder is created when missing and holds the file the link serves', async () => {
    const dir = join(scratch, 'not', 'yet', 'there');
    expect(existsSync(dir)).toBe(false);
    const g = await start(dir);
    expect(existsSync(dir)).toBe(true);

    const { file, served } = await draw(g);
    expect(pngsIn(dir)).toEqual([file]);
    expect(readFileSync(join(dir, file)).equals(makePng(0))).toBe(true);
    expect(served.equals(makePng(0))).toBe(true);
    expect(pngsIn(join(g.dataDir, 'images'))).toEqual([]);
  });

  it('unset: DATA_DIR/images', async () => {
    const g = await start();
    expect(g.settings.get().imageStorageDir).toBe('');
    const { file, served } = await draw(g);
    expect(pngsIn(join(scratch, 'data', 'images'))).toEqual([file]);
    expect(served.equals(makePng(0))).toBe(true);
  });

  it('changed while running: the next image goes to the new folder', async () => {
    const first = join(scratch, 'first');
    const second = join(scratch, 'second');
    const g = await start(first);
    const before = await draw(g);
    g.settings.update({ imageStorageDir: second });
    const after = await draw(g);
    expect(pngsIn(first)).toEqual([before.file]);
    expect(pngsIn(second)).toEqual([after.file]);
    expect(after.served.equals(makePng(0))).toBe(true);
  });
});
