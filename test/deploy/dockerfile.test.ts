/**
 * Docker cannot run on CI machines, so the Dockerfile's structure is checked instead: what Spaces and
 * `docker run` need, and what must not be in the image.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const dockerignore = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Instructions with their arguments, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op = '', ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(' ') };
  });
const stages = instructions.reduce<{ name: string; lines: typeof instructions }[]>((acc, i) => {
  if (i.op === 'FROM') acc.push({ name: i.args, lines: [] });
  else acc.at(-1)?.lines.push(i);
  return acc;
}, []);
const runtime = stages.at(-1)!;
const runtimeText = runtime.lines.map((l) => `${l.op} ${l.args}`).join('\n');

describe('Dockerfile', () => {
  it('is multi-stage on a Node LTS image (22 or 24)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.name).toMatch(/^node:(22|24)[\w.-]*( AS \w+)?$/i);
  });

  it('installs only production dependencies in the image and builds in another stage', () => {
    expect(runtimeText).toMatch(/npm ci --omit=dev/);
    expect(stages[0]!.lines.some((l) => l.op === 'RUN' && /scripts\/build\.mjs headless/.test(l.args))).toBe(
      true,
    );
    expect(runtimeText).toMatch(/COPY --from=\w+ \/app\/dist \.\/dist/);
    expect(runtimeText).not.toMatch(/COPY \. /);
  });

  it('has no Electron: not installed in the image and not a production dependency', () => {
    expect(runtimeText).not.toMatch(/electron/i);
    expect(Object.keys(pkg.dependencies).filter((d) => d === 'electron' || d === 'electron-builder')).toEqual(
      [],
    );
  });

  it('runs as a non-root user with DATA_DIR=/data, port 7860 and a HEALTHCHECK on /health', () => {
    const user = runtime.lines.filter((l) => l.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
    expect(runtimeText).toMatch(/DATA_DIR=\/data/);
    expect(runtimeText).toMatch(/mkdir -p \/data && chown/);
    expect(runtime.lines.some((l) => l.op === 'EXPOSE' && l.args === '7860')).toBe(true);
    expect(runtimeText).toMatch(/PORT=7860/);
    const health = runtime.lines.find((l) => l.op === 'HEALTHCHECK');
    expect(health?.args).toMatch(/\/health/);
  });

  it('starts the bundled server', () => {
    expect(runtime.lines.at(-1)).toEqual({ op: 'CMD', args: '["node", "dist/headless.mjs"]' });
  });

  it('keeps secrets and local state out of the build context', () => {
    for (const entry of ['.env', 'node_modules', 'data', '.git'])
      expect(dockerignore.split('\n')).toContain(entry);
  });
});
