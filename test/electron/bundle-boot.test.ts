/**
 * The built main-process bundle (dist/electron/main.cjs, every dependency inside, electron-store
 * included) boots under plain Node with the fake `electron` module answering its one external
 * require: settings file created by the real electron-store, the gateway listening, the tray showing
 * it, and Quit ending it. Catches what unit tests cannot: CJS/ESM interop in the bundle, a dependency
 * esbuild could not inline, a wrong entry point.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Not vi.mock: the bundle is plain CJS outside vite, so its require('electron') is answered below.
const fakeElectron = await import('./fake-electron');
const { fake, app } = fakeElectron;

const ROOT = process.cwd();
const tmp = mkdtempSync(join(tmpdir(), 'gemgate-boot-'));
const userData = join(tmp, 'userData');
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const originalLoad = loader._load;
const proc = process as NodeJS.Process & { resourcesPath?: string };

beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'scripts', 'build.mjs'), 'electron', `--out=${tmp}`],
    {
      cwd: ROOT,
    },
  );
  fake.reset();
  mkdirSync(userData);
  fake.paths = { userData, appData: join(tmp, 'config') };
  fake.appPath = tmp;
  app.isPackaged = true; // no console echo of the log
  proc.resourcesPath = join(tmp, 'resources');
  // Port 0: never a real 7860 in use on this machine.
  writeFileSync(
    join(userData, 'settings.json'),
    JSON.stringify({ settings: { port: 0, keyCheckIntervalMinutes: 0 } }),
  );
  loader._load = function (request, parent, isMain) {
    return request === 'electron' ? fakeElectron : originalLoad.call(this, request, parent, isMain);
  };
  createRequire(import.meta.url)(join(tmp, 'dist', 'electron', 'main.cjs'));
}, 60_000);

afterAll(() => {
  loader._load = originalLoad;
  Reflect.deleteProperty(process, 'resourcesPath');
  rmSync(tmp, { recursive: true, force: true });
});

describe('dist/electron/main.cjs', () => {
  it('starts the gateway and shows it in the tray', async () => {
    await vi.waitFor(
      () => expect(fake.trays[0]?.item('status').label).toMatch(/^Running on http:\/\/127\.0\.0\.1:\d+$/),
      {
        timeout: 10_000,
      },
    );
    const url = fake.trays[0]!.item('status').label!.replace('Running on ', '');
    const res = await fetch(`${url}/health`);
    expect(res.status).toBeLessThan(500);
    await res.arrayBuffer();
    expect(fake.errorBoxes).toEqual([]);
  });

  it('wrote the settings file through electron-store, migrated, and closed its IPC side door', () => {
    const file = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as {
      __internal__?: { migrations?: { version?: string } };
    };
    expect(file.__internal__?.migrations?.version).toBe('0.2.0');
    expect(fake.mainListeners.has('electron-store-get-data')).toBe(false);
    expect(existsSync(join(userData, 'data'))).toBe(true);
    expect(fake.handlers.size).toBeGreaterThan(20);
  });

  it('quits gracefully from the tray', async () => {
    const url = fake.trays[0]!.item('status').label!.replace('Running on ', '');
    fake.trays[0]!.item('quit').click!({ checked: false });
    await vi.waitFor(() => expect(app.quitted).toBe(true), { timeout: 15_000 });
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
