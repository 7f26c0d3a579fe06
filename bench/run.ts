/**
 * `npm run bench` (DESIGN §9, BENCHMARKS.md): the gateway against two baselines on loopback, every
 * figure a same-run comparison.
 *
 *   floor      the fake upstream called directly (Gemini requests)
 *   forwarder  node:http + undici Pool piping Gemini requests through untouched
 *   gateway    dist/headless.mjs, OpenAI requests converted to Gemini and back
 *
 * Each is its own child process; this process is the load generator. Progress goes to stderr, the
 * report to stdout. Exit code 1 only when the bench itself could not run (a missed budget is exit 0).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { API_KEYS, buildDialects, PASSWORD } from './payloads';
import {
  buildChildren,
  installCleanup,
  onExit,
  peakRssMb,
  spawnChild,
  spawnGateway,
  stopChild,
  type Child,
} from './procs';
import { buildRows, formatTable, summary, type Results } from './report';
import * as scenario from './scenarios';

const CONFIG = {
  /** The fake's stream: 10 events 20 ms apart, the first at once. */
  streamEvents: 10,
  streamGapMs: 20,
  warmUpMs: 1500,
  latency: { rounds: 5, perRound: 500 },
  throughput: { rounds: 5, concurrency: 64, durationMs: 4000 },
  /** 9 ms apart: does not divide the 20 ms event gap, so streams' events do not coincide. */
  streaming: { rounds: 5, perRound: 30, everyMs: 9 },
  manyStreams: { rounds: 3, count: 1000 },
  image: { rounds: 5, megabytes: 20 },
  coldStarts: 5,
};

const root = resolve(import.meta.dirname, '..');
const gatewayEntry = join(root, 'dist/headless.mjs');
const began = performance.now();
const progress = (text: string) =>
  process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1).padStart(5)} s] ${text}\n`);

function machineFacts(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `nproc ${availableParallelism()} (${model}), node ${process.version}, load average at start ${load}`;
}

async function main(): Promise<void> {
  installCleanup();
  if (!existsSync(gatewayEntry)) {
    throw new Error(
      `${gatewayEntry} is missing: run \`npm run bench\` (it builds the headless server first).`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'gemgate-bench-'));
  onExit(() => rmSync(work, { recursive: true, force: true }));
  const facts = machineFacts();
  progress(facts);

  const bundles = await buildChildren(work);
  const upstream = await spawnChild('fake upstream', bundles.fakeUpstream, {
    STREAM_EVENTS: String(CONFIG.streamEvents),
    STREAM_GAP_MS: String(CONFIG.streamGapMs),
  });
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const forwarder = await spawnChild('forwarder', bundles.forwarder, { UPSTREAM_URL: upstreamUrl });

  const gatewayEnv = (n: number) => ({
    HOST: '127.0.0.1',
    PROXY_URL: upstreamUrl,
    GEMINI_API_KEYS: API_KEYS.join(','),
    PASSWORD,
    MAX_REQUESTS_PER_MINUTE: '0',
    MAX_REQUESTS_PER_DAY_PER_IP: '0',
    KEY_CHECK_INTERVAL_MINUTES: '0',
    DATA_DIR: join(work, `data-${n}`),
  });
  let gateways = 0;
  const startGateway = (nodeArgs: string[] = []) => {
    const n = gateways++;
    return spawnGateway(gatewayEntry, gatewayEnv(n), join(work, `gateway-${n}.log`), nodeArgs);
  };
  // Extra node flags for the gateway only, e.g. BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p".
  const gatewayArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);

  progress(`cold start ×${CONFIG.coldStarts}`);
  const coldStart = await scenario.coldStart(async () => {
    const child = await startGateway();
    await stopChild(child);
    return child.startupMs;
  }, CONFIG.coldStarts);

  const gateway = await startGateway(gatewayArgs);
  const children: Record<scenario.TargetName, Child> = { floor: upstream, forwarder, gateway };

  const dialects = buildDialects(CONFIG.image.megabytes * 1024 * 1024);
  const targets = scenario.makeTargets(children, dialects, CONFIG.throughput.concurrency);

  progress('warm-up');
  await scenario.warmUp(targets, CONFIG.warmUpMs);
  progress(`1/5 latency, c=1: ${CONFIG.latency.rounds} rounds × ${CONFIG.latency.perRound} requests`);
  const latency = await scenario.latency(targets, CONFIG.latency.rounds, CONFIG.latency.perRound);
  const tp = CONFIG.throughput;
  progress(`2/5 throughput, c=${tp.concurrency}: ${tp.rounds} rounds × ${tp.durationMs} ms`);
  const throughput = await scenario.throughput(
    targets,
    upstream.pid,
    tp.rounds,
    tp.concurrency,
    tp.durationMs,
  );
  const st = CONFIG.streaming;
  progress(`3/5 streaming: ${st.rounds} rounds × ${st.perRound} streams, one every ${st.everyMs} ms`);
  const streaming = await scenario.streaming(targets, st.rounds, st.perRound, st.everyMs);
  const many = CONFIG.manyStreams;
  progress(`4/5 ${many.count} concurrent streams: ${many.rounds} rounds`);
  const manyStreams = await scenario.manyStreams(targets, many.rounds, many.count);
  for (const line of manyStreams.errors) progress(`  ${line}`);
  progress(`5/5 ${CONFIG.image.megabytes} MB image: ${CONFIG.image.rounds} rounds`);
  const image = await scenario.bigImage(targets, CONFIG.image.rounds);

  const results: Results = {
    latency,
    throughput,
    streaming,
    manyStreams,
    image,
    peakRssMb: {
      floor: peakRssMb(upstream.pid),
      forwarder: peakRssMb(forwarder.pid),
      gateway: peakRssMb(gateway.pid),
    },
    coldStart,
  };

  await Promise.all(targets.flatMap((t) => [t.solo.close(), t.wide.close()]));
  // SIGTERM first for the gateway: a graceful exit is what writes a --cpu-prof profile.
  await stopChild(gateway, 3000);
  await Promise.all([stopChild(forwarder), stopChild(upstream)]);

  const rows = buildRows(results, { concurrency: tp.concurrency, imageMb: CONFIG.image.megabytes });
  const loadAtEnd = loadavg()[0]!;
  // The figures are same-run comparisons, but a box busy with other work still widens their spread.
  const busy =
    loadAtEnd > availableParallelism()
      ? `\nNote: load average ${loadAtEnd.toFixed(2)} at the end on ${availableParallelism()} cores: other processes were competing; expect noisier figures.\n`
      : '';
  process.stdout.write(
    `Gemgate bench — ${facts}\n` +
      `${new Date().toISOString()}, ${((performance.now() - began) / 1000).toFixed(0)} s, load average at end ${loadAtEnd.toFixed(2)}\n\n` +
      `${formatTable(rows)}\n\n${summary(rows)}\n${busy}`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench: harness error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
  process.exit();
});
