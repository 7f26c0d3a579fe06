// Builds the settings window (renderer/) with vite into dist/renderer/: `node scripts/build-renderer.mjs`.
// `--dev` serves it with live reload instead and forwards /admin/api and /images to a running
// headless gateway (GEMGATE_URL, default http://127.0.0.1:7860), so the web admin works as in
// production. Asset URLs are relative (base './'): the same files load from file:// in Electron and
// from /admin/ on the headless server. `--quiet` prints only warnings (`npm run headless`, `gemgate`);
// `--out=<dir>` builds into <dir>/dist/renderer (the production-build test builds into a clean copy).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vite';

const root = fileURLToPath(new URL('../renderer/', import.meta.url));
const outArg = process.argv.find((a) => a.startsWith('--out='));
const outDir = outArg
  ? resolve(outArg.slice('--out='.length), 'dist', 'renderer')
  : fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const gateway = process.env.GEMGATE_URL ?? 'http://127.0.0.1:7860';

/** @type {import('vite').InlineConfig} */
const config = {
  configFile: false,
  root,
  base: './',
  logLevel: process.argv.includes('--quiet') ? 'warn' : 'info',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    // Electron 45 is Chromium 140; the web admin targets current browsers.
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: {
      '/admin/api': { target: gateway, changeOrigin: false },
      '/images': { target: gateway },
    },
  },
};

if (process.argv.includes('--dev')) {
  const server = await createServer(config);
  await server.listen();
  server.printUrls();
  console.log(`  admin API → ${gateway}`);
} else {
  await build(config);
}
