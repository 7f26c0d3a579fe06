/**
 * `npm run bench:framework`: how close can any converting gateway get to the forwarder? The same
 * throughput and latency scenarios as `npm run bench`, with two references in the gateway's place,
 * one after the other: bench/children/fastify-minimal.ts (fastify plus the two JSON round trips and
 * nothing else) and bench/children/http-minimal.ts (the same on bare node:http). Their ratios are the
 * floors under the gateway's: the first for anything built on fastify, the second for any Node
 * gateway that converts OpenAI to Gemini at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_KEYS, buildDialects, PASSWORD } from './payloads';
import { buildChildren, installCleanup, onExit, spawnChild, stopChild, type Child } from './procs';
import * as scenario from './scenarios';

const CONCURRENCY = 64;

interface Measured {
  name: string;
  latency: Awaited<ReturnType<typeof scenario.latency>>;
  throughput: Awaited<ReturnType<typeof scenario.throughput>>;
}

/** Latency and throughput of one reference in the gateway's place, interleaved with the baselines. */
async function measure(
  name: string,
  reference: Child,
  baselines: { floor: Child; forwarder: Child },
): Promise<Measured> {
  const children = { ...baselines, gateway: reference };
  const targets = scenario.makeTargets(children, buildDialects(1024), CONCURRENCY);
  process.stderr.write(`bench:framework: ${name}: warm-up, latency (5 × 500), throughput (5 × 4 s)\n`);
  // The references do not stream, so the warm-up is a short throughput round (not scenario.warmUp).
  await scenario.throughput(targets, baselines.floor.pid, 1, CONCURRENCY, 1500);
  const latency = await scenario.latency(targets, 5, 500);
  const throughput = await scenario.throughput(targets, baselines.floor.pid, 5, CONCURRENCY, 4000);
  await Promise.all(targets.flatMap((t) => [t.solo.close(), t.wide.close()]));
  return { name, latency, throughput };
}

function row({ name, latency, throughput }: Measured): string[] {
  const cpu = throughput.cpuUsPerRequest;
  const rps = throughput.rps;
  const p50 = latency.p50;
  return [
    `| CPU per request, c=${CONCURRENCY} (µs) | ${name} | ${cpu.forwarder.toFixed(0)} | ${cpu.gateway.toFixed(0)} | ${(cpu.gateway / cpu.forwarder).toFixed(2)}× |`,
    `| throughput, c=${CONCURRENCY} (req/s) | ${name} | ${rps.forwarder.toFixed(0)} | ${rps.gateway.toFixed(0)} | ${(rps.gateway / rps.forwarder).toFixed(2)}× |`,
    `| latency p50, c=1 (ms) | ${name} | ${p50.forwarder.toFixed(3)} | ${p50.gateway.toFixed(3)} | +${(p50.gateway - p50.forwarder).toFixed(3)} ms |`,
  ];
}

async function main(): Promise<void> {
  installCleanup();
  const work = mkdtempSync(join(tmpdir(), 'gemgate-bench-framework-'));
  onExit(() => rmSync(work, { recursive: true, force: true }));
  const bundles = await buildChildren(work);
  const floor = await spawnChild('fake upstream', bundles.fakeUpstream, {
    STREAM_EVENTS: '10',
    STREAM_GAP_MS: '20',
  });
  const upstreamUrl = `http://127.0.0.1:${floor.port}`;
  const forwarder = await spawnChild('forwarder', bundles.forwarder, { UPSTREAM_URL: upstreamUrl });
  const referenceEnv = { UPSTREAM_URL: upstreamUrl, GEMINI_API_KEYS: API_KEYS.join(','), PASSWORD };
  const fastifyMinimal = await spawnChild('fastify-minimal', bundles.fastifyMinimal, referenceEnv);
  const httpMinimal = await spawnChild('http-minimal', bundles.httpMinimal, referenceEnv);

  const baselines = { floor, forwarder };
  const results = [
    await measure('fastify-minimal', fastifyMinimal, baselines),
    await measure('http-minimal', httpMinimal, baselines),
  ];
  await Promise.all([httpMinimal, fastifyMinimal, forwarder, floor].map((child) => stopChild(child)));

  const lines = [
    `Minimal converting gateways vs the forwarder — nproc ${availableParallelism()}, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`,
    '',
    '| metric | reference | forwarder | reference gateway | ratio / difference |',
    '| --- | --- | --- | --- | --- |',
    ...results.flatMap(row),
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
