/**
 * The bench's verdict table: budgets judged on the medians, with the per-round range of each
 * gateway-vs-forwarder comparison beside it so a reader can tell a verdict from the machine's noise.
 */
import { describe, expect, it } from 'vitest';
import { buildRows, summary, type Results } from '../../../bench/report';
import { spreadOf } from '../../../bench/scenarios';
import { range } from '../../../bench/stats';

const per = (floor: number, forwarder: number, gateway: number) => ({ floor, forwarder, gateway });
const spread = (ratio: [number, number], difference: [number, number]) => ({ ratio, difference });

const results: Results = {
  latency: {
    p50: per(0.1, 0.3, 0.45),
    p99: per(0.2, 1, 2),
    p50Spread: spread([1.4, 1.6], [0.13, 0.19]),
  },
  throughput: {
    rps: per(30000, 10000, 9000),
    cpuUsPerRequest: per(20, 60, 70),
    upstreamCpuUsPerRequest: per(20, 25, 27),
    rpsSpread: spread([0.85, 0.93], [-1500, -700]),
    cpuSpread: spread([1.1, 1.3], [6, 15]),
  },
  streaming: {
    ttfcMs: per(0.4, 0.8, 1.3),
    ttfcSpread: spread([1.5, 1.8], [0.41, 0.62]),
    totalMs: per(181, 181.5, 183),
    minReads: per(10, 10, 10),
  },
  manyStreams: {
    count: 1000,
    complete: per(1000, 1000, 1000),
    p99TotalMs: per(250, 400, 600),
    errors: [],
  },
  image: { ms: per(30, 50, 90), spread: spread([1.2, 2.1], [10, 50]) },
  peakRssMb: per(150, 160, 190),
  coldStart: { medianMs: 480, samples: [470, 480, 490] },
};

const row = (metric: string) => {
  const found = buildRows(results, { concurrency: 64, imageMb: 20 }).find((r) => r.metric.startsWith(metric));
  if (!found) throw new Error(`no row ${metric}`);
  return found;
};

describe('bench report', () => {
  it('judges each budget on the medians', () => {
    expect(row('latency p50').pass).toBe(true); // +0.15 ms
    expect(row('throughput').pass).toBe(true); // 0.90×
    expect(row('CPU per request, own').pass).toBe(true); // 1.17×
    expect(row('stream: time to first chunk').pass).toBe(false); // +0.5 ms
    expect(row('20 MB inline image').pass).toBe(false); // 1.80×
    expect(row('peak RSS').pass).toBe(true); // 1.19×
    expect(summary(buildRows(results, { concurrency: 64, imageMb: 20 }))).toBe(
      '7/9 budgets met; missed: stream: time to first chunk (ms); 20 MB inline image request (ms).',
    );
  });

  it('shows the per-round range beside the comparisons that have rounds', () => {
    expect(row('latency p50').measured).toContain('gw−fwd +0.150 ms (rounds +0.130…+0.190)');
    expect(row('throughput').measured).toBe('0.90× fwd (rounds 0.85×…0.93×)');
    expect(row('CPU per request, own').measured).toBe('1.17× fwd (rounds 1.10×…1.30×)');
    expect(row('stream: time to first chunk').measured).toBe('gw−fwd +0.500 ms (rounds +0.410…+0.620)');
    expect(row('20 MB inline image').measured).toBe('1.80× fwd (rounds 1.20×…2.10×)');
  });

  it('ranges over samples', () => {
    expect(range([3, 1, 2])).toEqual([1, 3]);
    expect(range([])).toEqual([NaN, NaN]);
  });

  it('compares the gateway with the forwarder round by round, not median with median', () => {
    // Round 2 was slow for both: the per-round ratios stay close even though the values do not.
    const runs = { floor: [1, 1, 1], forwarder: [10, 40, 12], gateway: [20, 84, 23] };
    const spread = spreadOf(runs, (v) => v);
    expect(spread.ratio).toEqual([23 / 12, 2.1]);
    expect(spread.difference).toEqual([10, 44]);
  });
});
