/**
 * The load generator: undici Pools from the bench process to one target at a time, with pre-encoded
 * request bodies so the client does as little as possible per request (it shares the 2 cores with the
 * proxy and the fake upstream).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { RequestSpec } from './payloads';

/** A target answered something other than 200: the bench setup is wrong, so its figures would be too. */
export class HarnessError extends Error {}

export const clientPool = (origin: string, connections: number): Pool =>
  new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });

async function failure(
  spec: RequestSpec,
  status: number,
  body: AsyncIterable<Buffer>,
): Promise<HarnessError> {
  let text = '';
  for await (const chunk of body) text += chunk.toString('utf8');
  return new HarnessError(`POST ${spec.path} answered ${status}: ${text.slice(0, 300)}`);
}

/** One request, body read to the end. */
export async function send(pool: Pool, spec: RequestSpec): Promise<void> {
  const res = await pool.request({ method: 'POST', path: spec.path, headers: spec.headers, body: spec.body });
  if (res.statusCode !== 200) throw await failure(spec, res.statusCode, res.body);
  for await (const _ of res.body) {
    // Reading is the point: the answer must have been produced and moved.
  }
}

/** `count` requests one after another (concurrency 1); the latency of each in ms. */
export async function sequential(pool: Pool, spec: RequestSpec, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await send(pool, spec);
    latencies.push(performance.now() - start);
  }
  return latencies;
}

/**
 * Closed loop: `concurrency` workers each send their next request as soon as the last one finished,
 * until `durationMs` has passed. Elapsed time includes the requests still in flight at the deadline.
 */
export async function closedLoop(
  pool: Pool,
  spec: RequestSpec,
  concurrency: number,
  durationMs: number,
): Promise<{ requests: number; elapsedMs: number }> {
  const start = performance.now();
  const deadline = start + durationMs;
  let requests = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await send(pool, spec);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests, elapsedMs: performance.now() - start };
}

export interface StreamResult {
  /** Status 200 and the terminal marker of the dialect seen. */
  complete: boolean;
  /** Request sent → first body bytes. */
  ttfcMs: number;
  /** Request sent → end of body. */
  totalMs: number;
  /** Body reads: more than one proves the answer was not delivered in one piece. */
  reads: number;
  error?: string;
}

export async function streamOnce(pool: Pool, spec: RequestSpec): Promise<StreamResult> {
  const start = performance.now();
  let first = NaN;
  let reads = 0;
  let tail = '';
  try {
    const res = await pool.request({
      method: 'POST',
      path: spec.path,
      headers: spec.headers,
      body: spec.body,
    });
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (reads++ === 0) first = performance.now();
      tail = (tail + chunk.toString('latin1')).slice(-512);
    }
    const end = performance.now();
    const complete = res.statusCode === 200 && spec.streamEnd !== undefined && tail.includes(spec.streamEnd);
    return {
      complete,
      ttfcMs: first - start,
      totalMs: end - start,
      reads,
      ...(complete
        ? {}
        : { error: `status ${res.statusCode}, ends with ${JSON.stringify(tail.slice(-80))}` }),
    };
  } catch (err) {
    const end = performance.now();
    return { complete: false, ttfcMs: first - start, totalMs: end - start, reads, error: String(err) };
  }
}

/**
 * Open loop: a new stream every `everyMs`, so a few overlap (as real traffic does) without arriving
 * together; `everyMs` should not divide the upstream's event gap, or events of different streams
 * would fire in the same tick.
 */
export async function staggeredStreams(
  pool: Pool,
  spec: RequestSpec,
  count: number,
  everyMs: number,
): Promise<StreamResult[]> {
  const running: Promise<StreamResult>[] = [];
  for (let i = 0; i < count; i++) {
    running.push(streamOnce(pool, spec));
    await delay(everyMs);
  }
  return Promise.all(running);
}

/** `count` streams sent at the same moment; the pool should hold `count` connections already. */
export function burstStreams(pool: Pool, spec: RequestSpec, count: number): Promise<StreamResult[]> {
  return Promise.all(Array.from({ length: count }, () => streamOnce(pool, spec)));
}

/**
 * Opens `count` keep-alive connections on the pool by sending `count` requests at once (and so makes a
 * proxy open its upstream connections too).
 */
export async function openConnections(pool: Pool, spec: RequestSpec, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => send(pool, spec)));
}
