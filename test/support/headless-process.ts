/**
 * Builds the headless entry point once (esbuild, as `npm run headless` does) and starts it as a
 * child process, so tests exercise the real composition root: env parsing, folders, signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const built = new Map<string, Promise<string>>();

/** Bundles an entry point of main/ once per test process; resolves to the .mjs path. */
export const buildEntry = (entry: 'headless' | 'keys-cli'): Promise<string> => {
  const cached = built.get(entry);
  if (cached) return cached;
  const promise = (async () => {
    // ESM ignores NODE_PATH: the bundle must live under the repository so that its external
    // packages resolve from our node_modules.
    const cacheDir = join(process.cwd(), 'node_modules', '.cache', 'gemgate-test');
    mkdirSync(cacheDir, { recursive: true });
    const outfile = join(mkdtempSync(join(cacheDir, 'build-')), `${entry}.mjs`);
    await build({
      entryPoints: [`main/${entry}.ts`],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
    return outfile;
  })();
  built.set(entry, promise);
  return promise;
};

export const buildHeadless = (): Promise<string> => buildEntry('headless');

export interface HeadlessProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Resolves once the output contains the text. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  /** The bundle to run (default: a fresh build of main/headless.ts). */
  entry?: string;
  cwd?: string;
  args?: readonly string[];
}

export async function startHeadless(
  env: Record<string, string>,
  options: StartOptions = {},
): Promise<HeadlessProcess> {
  const entry = options.entry ?? (await buildHeadless());
  const child = spawn(process.execPath, [entry, ...(options.args ?? [])], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const check of waiters) check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    output: () => text,
    exited,
    waitForOutput(pattern, timeoutMs = 10_000) {
      const matches = () => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
      if (matches()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${text}`));
        }, timeoutMs);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        void exited.then((code) => {
          check();
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`exited (${code}) before printing ${String(pattern)}; output:\n${text}`));
        });
      });
    },
  };
}

/** The port the process announced in its "listening on" line. */
export async function listeningPort(proc: HeadlessProcess): Promise<number> {
  const pattern = /Gemgate \S+ listening on http:\/\/[^:]+:(\d+)/;
  await proc.waitForOutput(pattern);
  return Number(pattern.exec(proc.output())?.[1]);
}
