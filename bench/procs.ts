/**
 * Child processes of the bench: building and spawning them, reading their CPU time and peak RSS from
 * /proc, and making sure every one of them dies with the bench (normal end, error or Ctrl-C), by PID.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { isReadyMessage } from './children/ipc';

export interface Child {
  name: string;
  pid: number;
  port: number;
  proc: ChildProcess;
  /** Last lines of its stderr, for error messages. */
  stderrTail: () => string;
}

const live = new Set<ChildProcess>();
const READY_TIMEOUT_MS = 10_000;

/** Sends a signal by PID; a process that is already gone (ESRCH) is fine. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Exited meanwhile.
  }
}

/** SIGKILL by PID, synchronously: usable from an 'exit' handler. */
export function killAllNow(): void {
  for (const proc of live) {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null)
      signal(proc.pid, 'SIGKILL');
  }
  live.clear();
}

/**
 * Stops one child by PID and waits until it is reaped (no zombie, port free again): SIGTERM and up to
 * `graceMs` for a clean exit when asked (the gateway writes its --cpu-prof profile only then), SIGKILL.
 */
export async function stopChild(child: Child, graceMs = 0): Promise<void> {
  const { proc } = child;
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  if (!gone()) {
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    if (graceMs > 0) {
      signal(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signal(child.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    } else {
      signal(child.pid, 'SIGKILL');
      await exited;
    }
  }
  live.delete(proc);
}

const atExit: (() => void)[] = [];

/** Synchronous cleanup to run however the bench ends (after the children are killed). */
export const onExit = (fn: () => void): void => void atExit.push(fn);

/** Kill every child on any way out: normal exit, Ctrl-C, SIGTERM, a crash of the bench itself. */
export function installCleanup(): void {
  process.on('exit', () => {
    killAllNow();
    for (const fn of atExit.splice(0)) fn();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, killing children\n`);
      process.exit(130);
    });
  }
}

/**
 * The fake upstream and the forwarder are TypeScript; running them under tsx would load esbuild and
 * the tsx loader into the very processes whose CPU and RSS we measure. They are bundled to plain
 * CommonJS instead (undici included, so the output runs from a temp dir), like dist/headless.mjs.
 */
export async function buildChildren(
  outDir: string,
): Promise<{ fakeUpstream: string; forwarder: string; fastifyMinimal: string; httpMinimal: string }> {
  const here = import.meta.dirname;
  await build({
    entryPoints: {
      'fake-upstream': join(here, 'children/fake-upstream.ts'),
      forwarder: join(here, 'children/forwarder.ts'),
      'fastify-minimal': join(here, 'children/fastify-minimal.ts'),
      'http-minimal': join(here, 'children/http-minimal.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return {
    fakeUpstream: join(outDir, 'fake-upstream.cjs'),
    forwarder: join(outDir, 'forwarder.cjs'),
    fastifyMinimal: join(outDir, 'fastify-minimal.cjs'),
    httpMinimal: join(outDir, 'http-minimal.cjs'),
  };
}

function startProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { stdout: 'ignore' | number; ipc: boolean },
) {
  const proc = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', opts.stdout, 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
  });
  if (proc.pid === undefined) throw new Error(`${name}: spawn failed`);
  live.add(proc);
  let tail = '';
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
    tail = (tail + s).slice(-4000);
  });
  return { proc, pid: proc.pid, stderrTail: () => tail.trim() };
}

function onEarlyExit(name: string, proc: ChildProcess, tail: () => string, reject: (e: Error) => void) {
  const onExit = (code: number | null, signal: string | null) =>
    reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}):\n${tail()}`));
  proc.once('exit', onExit);
  return () => proc.off('exit', onExit);
}

/** Spawns a bundled bench child and waits for the port it reports over IPC. */
export function spawnChild(name: string, file: string, env: Record<string, string>): Promise<Child> {
  const { proc, pid, stderrTail } = startProcess(
    name,
    [file],
    { ...process.env, ...env },
    { stdout: 'ignore', ipc: true },
  );
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const offExit = onEarlyExit(name, proc, stderrTail, reject);
    proc.on('message', (m) => {
      if (!isReadyMessage(m)) return;
      clearTimeout(timer);
      offExit();
      resolve({ name, pid, port: m.port, proc, stderrTail });
    });
  });
}

const healthStatus = (port: number) =>
  new Promise<number>((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });

/** The gateway's start-up line: `Gemgate <version> listening on http://<host>:<port> (…)`. */
const LISTENING = /listening on http:\/\/[^\s/]+:(\d+)/;

function reportedPort(logFile: string): number | undefined {
  const head = readFileSync(logFile, 'utf8').slice(0, 16_384);
  const port = LISTENING.exec(head)?.[1];
  return port === undefined ? undefined : Number(port);
}

export interface GatewayChild extends Child {
  /** From spawn() to the first `GET /health` answered 200. */
  startupMs: number;
}

/**
 * Spawns the built headless gateway on PORT=0, learns its port from the start-up line of its log and
 * polls /health until it answers 200. The log (one line per request) goes to `logFile`, not a pipe: a
 * pipe the bench is too busy to drain would block the gateway's synchronous stdout writes.
 */
export async function spawnGateway(
  entry: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: readonly string[] = [],
): Promise<GatewayChild> {
  const out = openSync(logFile, 'w');
  const started = performance.now();
  const { proc, pid, stderrTail } = startProcess(
    'gateway',
    [...nodeArgs, entry],
    { ...process.env, ...env, PORT: '0' },
    { stdout: out, ipc: false },
  );
  closeSync(out);
  let exited = false;
  // 'close', not 'exit': by then its stderr (the reason it gave up) has been read to the end.
  proc.once('close', () => (exited = true));
  const deadline = started + READY_TIMEOUT_MS;
  let port: number | undefined;
  while (!exited && performance.now() < deadline) {
    port ??= reportedPort(logFile);
    if (port !== undefined && (await healthStatus(port)) === 200) {
      return { name: 'gateway', pid, port, proc, stderrTail, startupMs: performance.now() - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  signal(pid, 'SIGKILL');
  live.delete(proc);
  throw new Error(`gateway did not become healthy (port ${port ?? 'not reported'}):\n${stderrTail()}`);
}

/** USER_HZ, the unit of /proc/<pid>/stat times (100 on common Linux builds). */
const CLOCK_TICKS_PER_SECOND =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of the whole process (all threads), in ms. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Peak resident set size (VmHWM) in MiB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(kb) / 1024;
}
