import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { webAdminDir } from '../../../main/cli/web-admin-dir';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

const layout = (withBuiltAdmin: boolean) => {
  root = mkdtempSync(join(tmpdir(), 'gemgate-webadmin-'));
  mkdirSync(join(root, 'dist', 'renderer'), { recursive: true });
  if (withBuiltAdmin) writeFileSync(join(root, 'dist', 'renderer', 'index.html'), '<html></html>');
  return root;
};

describe('webAdminDir', () => {
  it('finds dist/renderer beside the bundle (dist/headless.mjs), whatever the working directory', () => {
    const pkg = layout(true);
    const bundleUrl = pathToFileURL(join(pkg, 'dist', 'headless.mjs')).href;
    expect(webAdminDir(bundleUrl, '/somewhere/else')).toBe(join(pkg, 'dist', 'renderer'));
  });

  it('finds it from the source entry too (main/headless.ts under tsx)', () => {
    const pkg = layout(true);
    const sourceUrl = pathToFileURL(join(pkg, 'main', 'headless.ts')).href;
    expect(webAdminDir(sourceUrl, '/somewhere/else')).toBe(join(pkg, 'dist', 'renderer'));
  });

  it('falls back to dist/renderer under the working directory when none is built beside the code', () => {
    const pkg = layout(false);
    const bundleUrl = pathToFileURL(join(pkg, 'dist', 'headless.mjs')).href;
    expect(webAdminDir(bundleUrl, '/srv/app')).toBe(join('/srv/app', 'dist', 'renderer'));
  });
});
