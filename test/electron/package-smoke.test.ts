/**
 * Offline packaging smoke test (platform-notes §2): main and preload are built into a temp copy of the
 * project, then `electron-builder --linux dir` packs it against a stand-in Electron distribution (a
 * script named `electron` and a `version` file), since the real one cannot be downloaded here. The
 * app.asar must hold exactly what the app needs: proves the `files` globs, the asar layout and the
 * extraResources — without touching the repository (everything happens in the temp folder).
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  closeSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = process.cwd();

interface AsarNode {
  files?: Record<string, AsarNode>;
  size?: number;
  offset?: string;
}

/** The asar format: a pickled JSON header (sizes as UInt32LE), then the file bytes. */
function readAsar(file: string): { list: string[]; read(path: string): Buffer } {
  const fd = openSync(file, 'r');
  try {
    const sizes = Buffer.alloc(16);
    readSync(fd, sizes, 0, 16, 0);
    const headerPickleSize = sizes.readUInt32LE(4);
    const jsonLength = sizes.readUInt32LE(12);
    const json = Buffer.alloc(jsonLength);
    readSync(fd, json, 0, jsonLength, 16);
    const root = JSON.parse(json.toString('utf8')) as AsarNode;
    const dataStart = 8 + headerPickleSize;
    const list: string[] = [];
    const walk = (node: AsarNode, prefix: string) => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        const path = prefix ? `${prefix}/${name}` : name;
        if (child.files) walk(child, path);
        else list.push(path);
      }
    };
    walk(root, '');
    const bytes = readFileSync(file);
    return {
      list,
      read(path) {
        let node: AsarNode | undefined = root;
        for (const part of path.split('/')) node = node?.files?.[part];
        if (!node || node.size === undefined || node.offset === undefined)
          throw new Error(`${path} not in asar`);
        const start = dataStart + Number(node.offset);
        return bytes.subarray(start, start + node.size);
      },
    };
  } finally {
    closeSync(fd);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'gemgate-pack-'));
const appDir = join(tmp, 'app');
const electronDist = join(tmp, 'electron-dist');
const unpacked = join(appDir, 'release', 'linux-unpacked');
let asar: ReturnType<typeof readAsar>;
let usedRealRenderer = false;

beforeAll(async () => {
  mkdirSync(appDir, { recursive: true });
  for (const entry of ['package.json', 'electron-builder.yml', 'build']) {
    cpSync(join(ROOT, entry), join(appDir, entry), { recursive: true });
  }
  // Sources and tests are copied too, so the test proves the `files` globs keep them out.
  cpSync(join(ROOT, 'main'), join(appDir, 'main'), { recursive: true });
  mkdirSync(join(appDir, 'test'));
  writeFileSync(join(appDir, 'test', 'x.test.ts'), 'export {};\n');
  // electron-builder reads the dependency tree and Electron's version from node_modules.
  symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'), 'dir');

  await run(
    process.execPath,
    [join(ROOT, 'scripts', 'build.mjs'), 'electron', 'preload', `--out=${appDir}`],
    {
      cwd: ROOT,
    },
  );
  const renderer = join(ROOT, 'dist', 'renderer');
  usedRealRenderer = existsSync(join(renderer, 'index.html'));
  if (usedRealRenderer) cpSync(renderer, join(appDir, 'dist', 'renderer'), { recursive: true });
  else {
    mkdirSync(join(appDir, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(appDir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Gemgate</title>\n');
  }

  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'version'), '45.5.0');

  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'dir',
      '--projectDir',
      appDir,
      `-c.electronDist=${electronDist}`,
      '--publish',
      'never',
    ],
    {
      cwd: appDir,
      timeout: 60_000,
      env: {
        ...process.env,
        ELECTRON_BUILDER_CACHE: join(tmp, 'cache'),
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      },
    },
  );
  asar = readAsar(join(unpacked, 'resources', 'app.asar'));
}, 90_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder --linux dir (offline, stand-in Electron)', () => {
  it('packs the bundles, the renderer and package.json into app.asar', () => {
    expect(asar.list).toEqual(
      expect.arrayContaining([
        'dist/electron/main.cjs',
        'dist/preload/preload.cjs',
        'dist/renderer/index.html',
        'package.json',
      ]),
    );
    const pkg = JSON.parse(asar.read('package.json').toString()) as { main: string; productName: string };
    expect(pkg).toMatchObject({ main: 'dist/electron/main.cjs', productName: 'Gemgate' });
    expect(asar.read('dist/electron/main.cjs').toString()).toContain('gemgate:admin:');
  });

  it('packs no sources, tests, source maps or node_modules', () => {
    const unwanted = asar.list.filter(
      (f) =>
        /^(main|test|shared|renderer|scripts|build)\//.test(f) ||
        /\.(ts|map)$/.test(f) ||
        f.includes('node_modules'),
    );
    expect(unwanted).toEqual([]);
    expect(asar.list.length).toBeLessThan(50);
  });

  it('ships the tray icons next to app.asar and the app executable', () => {
    const tray = readdirSync(join(unpacked, 'resources', 'tray'));
    expect(tray).toEqual(
      expect.arrayContaining([
        'tray-running-linux.png',
        'tray-error-linux.png',
        'iconTemplate@2x.png',
        'window-icon.png',
      ]),
    );
    expect(existsSync(join(unpacked, 'gemgate'))).toBe(true);
  });

  it('the preload bundle requires nothing but electron (sandbox)', () => {
    const preload = asar.read('dist/preload/preload.cjs').toString();
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
