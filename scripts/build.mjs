// Bundles the entry points with esbuild. `node scripts/build.mjs [headless|keys|electron|preload]`.
// Server dependencies stay external (node_modules is present in dev and Docker); the Electron
// targets bundle theirs (see below).
import { join } from 'node:path';
import { build } from 'esbuild';

const targets = {
  headless: {
    entryPoints: ['main/headless.ts'],
    // Code splitting keeps the Qiniu/COS SDKs (~350 ms to import) in chunks that load only when
    // images are stored there: start-up stays fast (lazy-image-store.ts).
    outdir: 'dist',
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
  },
  // The tray app's main process. CommonJS with every dependency bundled: electron-store and conf
  // are ESM-only and end up as plain CJS, and the packaged app.asar then needs no node_modules at
  // all (smaller, faster to start, nothing for electron-builder to prune). `electron` is provided by
  // the runtime; `proxy-agent` is an optional require of urllib (qiniu) that is not installed.
  electron: {
    entryPoints: ['main/electron/index.ts'],
    outfile: 'dist/electron/main.cjs',
    format: 'cjs',
    target: 'node22', // Electron 45 embeds Node 24
    packages: 'bundle',
    external: ['electron', 'proxy-agent'],
  },
  // The sandboxed preload: CommonJS (a sandboxed preload cannot be ESM), and self-contained because
  // the sandbox lets it require nothing but `electron`.
  preload: {
    entryPoints: ['main/preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    format: 'cjs',
    target: 'node22',
    packages: 'bundle',
    external: ['electron'],
  },
  keys: {
    entryPoints: ['main/keys-cli.ts'],
    outfile: 'dist/keys-cli.mjs',
    format: 'esm',
  },
};

// `--out=<dir>` builds into another folder (the packaging smoke test builds into a temp copy).
const outArg = process.argv.slice(2).find((a) => a.startsWith('--out='));
const out = outArg?.slice('--out='.length);
const wanted = process.argv.slice(2).filter((a) => a !== outArg);
const names = wanted.length > 0 ? wanted : Object.keys(targets);
const placed = (target) =>
  !out
    ? target
    : {
        ...target,
        ...(target.outfile ? { outfile: join(out, target.outfile) } : {}),
        ...(target.outdir ? { outdir: join(out, target.outdir) } : {}),
      };

for (const name of names) {
  const target = targets[name];
  if (!target) {
    console.error(`Unknown build target "${name}". Known: ${Object.keys(targets).join(', ')}`);
    process.exit(2);
  }
  await build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    ...placed(target),
  });
}
