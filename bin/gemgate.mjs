#!/usr/bin/env node
// `gemgate` / `npx gemgate` — the headless server. In a checkout with its dev dependencies (after
// `npm ci`) the server bundle and the web admin are rebuilt first, as `npm run headless` does, so the
// command never runs stale code; where the build tools are absent (the Docker image, a production
// install) the shipped build runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/headless.mjs', import.meta.url));
const script = (name) => fileURLToPath(new URL(`../scripts/${name}`, import.meta.url));
const builds = [
  [script('build.mjs'), 'headless'],
  [script('build-renderer.mjs'), '--quiet'],
];

const installed = (name) => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};

if (existsSync(script('build.mjs')) && installed('esbuild') && installed('vite')) {
  for (const args of builds) {
    const built = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
}
if (!existsSync(bundle)) {
  console.error(
    'Gemgate is not built: run `npm ci` in the checkout (it installs the build tools), then `npx gemgate`.',
  );
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
