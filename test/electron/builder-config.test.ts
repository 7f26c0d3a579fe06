/**
 * electron-builder.yml checked by electron-builder's own loader and schema validator (offline, about
 * a second), plus a negative control proving the validator really rejects what it does not know.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
interface BuilderConfig extends Record<string, unknown> {
  appId?: string;
  productName?: string;
  asar?: boolean;
  files?: (string | { filter: string[] })[];
  directories?: { output?: string; buildResources?: string };
  win?: { target?: string[] };
  mac?: { target?: { target: string; arch: string[] }[]; hardenedRuntime?: boolean; entitlements?: string };
  linux?: { target?: string[]; category?: string; maintainer?: string; icon?: string };
}
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<BuilderConfig>;
  validateConfiguration: (config: BuilderConfig, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const ROOT = process.cwd();
const load = (file = 'electron-builder.yml') => getConfig(ROOT, file, null);
const validate = async (config: BuilderConfig) => validateConfiguration(config, new DebugLogger(false));

const tmp = mkdtempSync(join(tmpdir(), 'gemgate-builder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it('passes electron-builder validation', async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('an unknown key fails it (negative control)', async () => {
    const original = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    const nested = join(tmp, 'nested.yml');
    writeFileSync(nested, original.replace(/^nsis:\n/m, 'nsis:\n  bogusOption: true\n'));
    await expect(validate(await load(nested))).rejects.toThrow(/does not match the API schema|bogusOption/);
    const topLevel = join(tmp, 'top.yml');
    writeFileSync(topLevel, `${original}\nnotAnOption: 1\n`);
    await expect(validate(await load(topLevel))).rejects.toThrow(/notAnOption|API schema/);
  });

  it('says what the issue asks for', async () => {
    const c = await load();
    expect(c).toMatchObject({
      appId: 'dev.gemgate.app',
      productName: 'Gemgate',
      asar: true,
      directories: { output: 'release', buildResources: 'build' },
      win: { target: ['nsis', 'portable'] },
      mac: { hardenedRuntime: true, target: [{ target: 'dmg', arch: ['x64', 'arm64'] }] },
      linux: { target: ['AppImage', 'deb'], category: 'Network;Utility', icon: 'build/icons' },
    });
    expect(c.linux?.maintainer).toMatch(/<[^@\s]+@[^>\s]+>$/);
    // getConfig normalises `files` into file sets.
    const files = (c.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(files).toEqual(
      expect.arrayContaining(['dist/electron/**', 'dist/preload/**', 'dist/renderer/**', 'package.json']),
    );
    for (const file of [
      c.mac!.entitlements!,
      'build/icon.png',
      'build/icons/512x512.png',
      'build/tray/iconTemplate.png',
    ]) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
  });

  it('package.json has what Electron and the deb target need, and no inline build config', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      main: 'dist/electron/main.cjs',
      productName: 'Gemgate',
      homepage: expect.stringMatching(/^https:\/\//),
      author: { email: expect.stringContaining('@') },
    });
    expect(pkg.build).toBeUndefined();
    expect(pkg.scripts).toMatchObject({
      start: expect.stringContaining('electron .'),
      dist: expect.stringContaining('electron-builder'),
    });
  });
});
