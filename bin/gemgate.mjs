#!/usr/bin/env node
// `gemgate` — the headless server (`npm install -g .` in a checkout, or the Docker image's CMD).
// The server is a bundle built by `npm run build` (or `node scripts/build.mjs headless`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/headless.mjs', import.meta.url));
if (!existsSync(bundle)) {
  console.error(
    'Gemgate is not built yet: run `npm run build` (or `node scripts/build.mjs headless`) first.',
  );
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
