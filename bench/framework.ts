/**
 * `npm run bench:framework`: how close can any fastify-based gateway get to the forwarder? The same
 * throughput and latency scenarios as `npm run bench`, with bench/children/fastify-minimal.ts in the
 * gateway's place — fastify plus the two JSON round trips and nothing else. Its ratios are the floor
 * under the gateway's: budgets tighter than them cannot be met by anything built on this stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEYS, buildDialects, PASSWORD } from './payloads';
import { buildChildren, installCleanup, onExit, spawnChild, stopChild } from './procs';
import * as scenario from './scenarios';

const CONCURRENCY = 64;

async function main(): Promise<void> {
  installCleanup();
  const work = mkdtempSync(join(tmpdir(), 'gemgate-bench-framework-'));
  onExit(() => rmSync(work, { recursive: true, force: true }));
  const bundles = await buildChildren(work);
  const upstream = await spawnChild('fake upstream', bundles.fakeUpstream, {
    STREAM_EVENTS: '10',
    STREAM_GAP_MS: '20',
  });
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const forwarder = await spawnChild('forwarder', bundles.forwarder, { UPSTREAM_URL: upstreamUrl });
  const minimal = await spawnChild('fastify-minimal', bundles.fastifyMinimal, {
    UPSTREAM_URL: upstreamUrl,
    GEMINI_API_KEYS: API_KEYS.join(','),
    PASSWORD,
  });
  const children = { floor: upstream, forwarder, gateway: minimal };
  const dialects = buildDialects(1024);
  const targets = scenario.makeTargets(children, dialects, CONCURRENCY);

  process.stderr.write('bench:framework: warm-up, latency (5 × 500), throughput (5 × 4 s)\n');
  // The reference does not stream, so the warm-up is a short throughput round (not scenario.warmUp).
  await scenario.throughput(targets, upstream.pid, 1, CONCURRENCY, 1500);
  const latency = await scenario.latency(targets, 5, 500);
  const tp = await scenario.throughput(targets, upstream.pid, 5, CONCURRENCY, 4000);
  await Promise.all(targets.flatMap((t) => [t.solo.close(), t.wide.close()]));
  await Promise.all([stopChild(minimal), stopChild(forwarder), stopChild(upstream)]);

  const cpu = tp.cpuUsPerRequest;
  const lines = [
    `Minimal fastify gateway vs the forwarder — nproc ${availableParallelism()}, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`,
    '',
    '| metric | forwarder | minimal fastify gateway | ratio / difference |',
    '| --- | --- | --- | --- |',
    `| CPU per request, c=${CONCURRENCY} (µs) | ${cpu.forwarder.toFixed(0)} | ${cpu.gateway.toFixed(0)} | ${(cpu.gateway / cpu.forwarder).toFixed(2)}× |`,
    `| throughput, c=${CONCURRENCY} (req/s) | ${tp.rps.forwarder.toFixed(0)} | ${tp.rps.gateway.toFixed(0)} | ${(tp.rps.gateway / tp.rps.forwarder).toFixed(2)}× |`,
    `| latency p50, c=1 (ms) | ${latency.p50.forwarder.toFixed(3)} | ${latency.p50.gateway.toFixed(3)} | +${(latency.p50.gateway - latency.p50.forwarder).toFixed(3)} ms |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:framework: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
  process.exit();
});
