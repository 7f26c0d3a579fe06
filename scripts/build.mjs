// Bundles the entry points with esbuild. `node scripts/build.mjs [headless]`.
// Dependencies stay external (node_modules is present in dev, Docker and the packaged app alike).
import { build } from 'esbuild';

const targets = {
  headless: {
    entryPoints: ['main/headless.ts'],
    outfile: 'dist/headless.mjs',
    format: 'esm',
  },
  keys: {
    entryPoints: ['main/keys-cli.ts'],
    outfile: 'dist/keys-cli.mjs',
    format: 'esm',
  },
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(targets);

for (const name of names) {
  const target = targets[name];
  if (!target) {
    console.error(`Unknown build target "${name}". Known: ${Object.keys(targets).join(', ')}`);
    process.exit(2);
  }
  await build({
    ...target,
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
