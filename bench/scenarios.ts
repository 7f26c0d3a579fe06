/**
 * The measured scenarios (DESIGN §9). Each runs in rounds; within a round every target takes its turn,
 * in an order rotated from round to round, so slow drifts of the machine (thermal, other processes,
 * GC of the bench itself) hit all targets alike. A figure is the median of its per-round values.
 */
import type { Pool } from 'undici';
import {
  burstStreams,
  clientPool,
  closedLoop,
  openConnections,
  sequential,
  staggeredStreams,
  type StreamResult,
} from './load';
import type { Dialect } from './payloads';
import { cpuTimeMs } from './procs';
import { median, percentile, range } from './stats';

export const TARGET_NAMES = ['floor', 'forwarder', 'gateway'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];
export type PerTarget<T> = Record<TargetName, T>;

export interface Target {
  name: TargetName;
  origin: string;
  /** The process whose CPU is charged to this target (the floor's is the fake upstream). */
  pid: number;
  dialect: Dialect;
  /** One keep-alive connection, for concurrency 1. */
  solo: Pool;
  /** Enough connections for the concurrent scenarios. */
  wide: Pool;
}

/**
 * The three targets on their children's ports: the gateway (or what stands in its place) is sent
 * OpenAI requests, the floor and the forwarder the equivalent Gemini ones.
 */
export function makeTargets(
  children: PerTarget<{ port: number; pid: number }>,
  dialects: { openai: Dialect; gemini: Dialect },
  concurrency: number,
): Target[] {
  return TARGET_NAMES.map((name) => {
    const origin = `http://127.0.0.1:${children[name].port}`;
    return {
      name,
      origin,
      pid: children[name].pid,
      dialect: name === 'gateway' ? dialects.openai : dialects.gemini,
      solo: clientPool(origin, 1),
      wide: clientPool(origin, concurrency),
    };
  });
}

const perTarget = <T>(make: (name: TargetName) => T): PerTarget<T> => ({
  floor: make('floor'),
  forwarder: make('forwarder'),
  gateway: make('gateway'),
});

/** Runs `measure` for every target, `count` rounds, rotating who goes first. */
async function inRounds<T>(
  targets: readonly Target[],
  count: number,
  measure: (target: Target) => Promise<T>,
): Promise<PerTarget<T[]>> {
  const out = perTarget<T[]>(() => []);
  for (let round = 0; round < count; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(round + i) % targets.length]!;
      out[target.name].push(await measure(target));
    }
  }
  return out;
}

const medianOf = <T>(values: PerTarget<T[]>, pick: (v: T) => number): PerTarget<number> =>
  perTarget((name) => median(values[name].map(pick)));

/** How the gateway compares with the forwarder, round by round. */
export interface Spread {
  /** gateway ÷ forwarder in each round: its smallest and largest value. */
  ratio: [min: number, max: number];
  /** gateway − forwarder in each round. */
  difference: [min: number, max: number];
}

/**
 * Within a round both took their turn back to back, so a round's comparison is as fair as the
 * median's; the range over rounds shows how much of a verdict is the machine's noise.
 */
export function spreadOf<T>(values: PerTarget<T[]>, pick: (v: T) => number): Spread {
  const pairs = values.gateway.map((g, i) => [pick(g), pick(values.forwarder[i]!)] as const);
  return {
    ratio: range(pairs.map(([g, f]) => g / f)),
    difference: range(pairs.map(([g, f]) => g - f)),
  };
}

/** Scenario 1: non-streamed latency at concurrency 1. */
export async function latency(targets: readonly Target[], rounds: number, perRound: number) {
  const runs = await inRounds(targets, rounds, async (t) => {
    const samples = await sequential(t.solo, t.dialect.chat, perRound);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  });
  return {
    p50: medianOf(runs, (r) => r.p50),
    p99: medianOf(runs, (r) => r.p99),
    p50Spread: spreadOf(runs, (r) => r.p50),
  };
}

/** Scenario 2: closed-loop throughput and CPU per request of the target's process (and the upstream's). */
export async function throughput(
  targets: readonly Target[],
  upstreamPid: number,
  rounds: number,
  concurrency: number,
  durationMs: number,
) {
  const runs = await inRounds(targets, rounds, async (t) => {
    const cpu0 = cpuTimeMs(t.pid);
    const up0 = cpuTimeMs(upstreamPid);
    const { requests, elapsedMs } = await closedLoop(t.wide, t.dialect.chat, concurrency, durationMs);
    return {
      rps: (requests * 1000) / elapsedMs,
      cpuUs: ((cpuTimeMs(t.pid) - cpu0) * 1000) / requests,
      upstreamCpuUs: ((cpuTimeMs(upstreamPid) - up0) * 1000) / requests,
    };
  });
  return {
    rps: medianOf(runs, (r) => r.rps),
    cpuUsPerRequest: medianOf(runs, (r) => r.cpuUs),
    upstreamCpuUsPerRequest: medianOf(runs, (r) => r.upstreamCpuUs),
    rpsSpread: spreadOf(runs, (r) => r.rps),
    cpuSpread: spreadOf(runs, (r) => r.cpuUs),
  };
}

function requireComplete(target: Target, results: StreamResult[]): void {
  const bad = results.find((r) => !r.complete);
  if (bad) throw new Error(`${target.name}: a stream did not complete: ${bad.error ?? 'unknown'}`);
}

/** Scenario 3: time to first chunk and total time of streamed answers, a few overlapping. */
export async function streaming(
  targets: readonly Target[],
  rounds: number,
  perRound: number,
  everyMs: number,
) {
  const runs = await inRounds(targets, rounds, async (t) => {
    const results = await staggeredStreams(t.wide, t.dialect.stream, perRound, everyMs);
    requireComplete(t, results);
    return {
      ttfc: median(results.map((r) => r.ttfcMs)),
      total: median(results.map((r) => r.totalMs)),
      minReads: Math.min(...results.map((r) => r.reads)),
    };
  });
  return {
    ttfcMs: medianOf(runs, (r) => r.ttfc),
    ttfcSpread: spreadOf(runs, (r) => r.ttfc),
    totalMs: medianOf(runs, (r) => r.total),
    minReads: perTarget((name) => Math.min(...runs[name].map((r) => r.minReads))),
  };
}

/**
 * Scenario 4: `count` streams sent at once. Connections are opened first (unmeasured): `count`
 * simultaneous connects overflow a listen backlog of 511 (Node's and fastify's default) and the kernel
 * retries the dropped SYNs after 1 s, which would measure the accept queue, not the proxy.
 * Incomplete streams are a result here, not an error.
 */
export async function manyStreams(targets: readonly Target[], rounds: number, count: number) {
  const errors: string[] = [];
  const pools = perTarget((name) => clientPool(targets.find((t) => t.name === name)!.origin, count));
  try {
    for (const t of targets) await openConnections(pools[t.name], t.dialect.chat, count);
    const runs = await inRounds(targets, rounds, async (t) => {
      const results = await burstStreams(pools[t.name], t.dialect.stream, count);
      const failed = results.filter((r) => !r.complete);
      if (failed[0]) errors.push(`${t.name}: ${failed.length} incomplete, e.g. ${failed[0].error ?? ''}`);
      return {
        complete: results.length - failed.length,
        p99: percentile(
          results.map((r) => r.totalMs),
          99,
        ),
      };
    });
    return {
      count,
      /** The worst round. */
      complete: perTarget((name) => Math.min(...runs[name].map((r) => r.complete))),
      p99TotalMs: medianOf(runs, (r) => r.p99),
      errors,
    };
  } finally {
    await Promise.all(Object.values(pools).map((pool) => pool.destroy()));
  }
}

/** Scenario 5: one request carrying a big inline image (base64 in JSON), one at a time. */
export async function bigImage(targets: readonly Target[], rounds: number) {
  // An unmeasured first pass: the first big body also grows heaps and warms code paths.
  await inRounds(targets, 1, (t) => sequential(t.solo, t.dialect.image, 1));
  const runs = await inRounds(
    targets,
    rounds,
    async (t) => (await sequential(t.solo, t.dialect.image, 1))[0]!,
  );
  return { ms: medianOf(runs, (ms) => ms), spread: spreadOf(runs, (ms) => ms) };
}

/** Unmeasured traffic of every kind, so JIT tiers, pools and connections are warm before any figure. */
export async function warmUp(targets: readonly Target[], durationMs: number): Promise<void> {
  for (const t of targets) {
    await closedLoop(t.wide, t.dialect.chat, 16, durationMs);
    await sequential(t.solo, t.dialect.chat, 200);
    requireComplete(t, await staggeredStreams(t.wide, t.dialect.stream, 20, 3));
  }
}

/** Scenario 7: spawn → first `GET /health` 200 of a fresh gateway process, `count` times. */
export async function coldStart(spawnOnce: () => Promise<number>, count: number) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await spawnOnce());
  return { medianMs: median(samples), samples };
}
