/** GatewayMetrics: what a scrape shows, and that nothing samples the event loop before one. */
import { createRequire } from 'node:module';
import type * as perfHooksTypes from 'node:perf_hooks';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { KeyPool } from '../../../main/server/keys/key-pool';
import { EVENT_LOOP_SAMPLE_MS, GatewayMetrics } from '../../../main/server/metrics/gateway-metrics';
import { sample } from '../../support/prometheus';

const newMetrics = () =>
  new GatewayMetrics({
    keys: new KeyPool(['AIzaTEST-key-000000000000000000000001'], { now: () => 0, defaultCooldownMs: 1 }),
    imageStats: () => Promise.resolve({ count: 0, bytes: 0 }),
  });

describe('gateway metrics', () => {
  it('starts Node’s default metrics with the first scrape, with the event-loop lag already measured', async () => {
    const metrics = newMetrics();
    metrics.requestFinished({}, '/v1/models', 'GET', 200);

    const started = performance.now();
    const first = await metrics.scrape();
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * EVENT_LOOP_SAMPLE_MS - 5);
    expect(sample(first, 'gemgate_http_requests_total{route="/v1/models",method="GET",status="200"}')).toBe(
      1,
    );
    expect(sample(first, 'gemgate_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Sampled for two periods: a real lag, not the empty sampler's 2^63 ns (292 years).
    const min = sample(first, 'gemgate_nodejs_eventloop_lag_min_seconds');
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThan(10);

    const again = performance.now();
    const second = await metrics.scrape();
    expect(performance.now() - again).toBeLessThan(2 * EVENT_LOOP_SAMPLE_MS);
    // One registration only: a second one would throw on the duplicate names or print them twice.
    expect(
      second.split('\n').filter((l) => l.startsWith('# TYPE gemgate_process_resident_memory_bytes')),
    ).toHaveLength(1);
  });

  it('samples the event loop only once someone scrapes, with one sampler however many scrapes', async () => {
    // prom-client looks monitorEventLoopDelay up on the module object when it starts sampling.
    const perfHooks = createRequire(import.meta.url)('node:perf_hooks') as typeof perfHooksTypes;
    const sampler = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    try {
      const metrics = newMetrics();
      metrics.requestStarted({});
      metrics.upstreamAnswered('gemini', 'generateContent', 200, 0.1);
      await new Promise((resolve) => setTimeout(resolve, 3 * EVENT_LOOP_SAMPLE_MS));
      expect(sampler).not.toHaveBeenCalled();

      const concurrent = await Promise.all([metrics.scrape(), metrics.scrape()]);
      await metrics.scrape();
      expect(sampler).toHaveBeenCalledTimes(1);
      expect(sampler).toHaveBeenCalledWith({ resolution: EVENT_LOOP_SAMPLE_MS });
      for (const text of concurrent) {
        expect(text.match(/^# TYPE gemgate_nodejs_eventloop_lag_seconds /gm)).toHaveLength(1);
      }
    } finally {
      sampler.mockRestore();
    }
  });

  it('counts the pooled xAI keys by state beside the Gemini keys', async () => {
    const xaiKeys = new KeyPool(
      ['xai-TEST-pooled-key-0001', 'xai-TEST-pooled-key-0002', 'xai-TEST-pooled-key-0003'],
      {
        now: () => 0,
        defaultCooldownMs: 60_000,
      },
    );
    const [refused, rejected] = xaiKeys.health().map((h) => h.id);
    xaiKeys.reportRefused(xaiKeys.acquire(new Set([rejected!]))!, 403, 'no credits');
    xaiKeys.disable(rejected!, 'Incorrect API key');
    const metrics = new GatewayMetrics({
      keys: new KeyPool(['AIzaTEST-key-000000000000000000000001'], { now: () => 0, defaultCooldownMs: 1 }),
      xaiKeys,
      imageStats: () => Promise.resolve({ count: 0, bytes: 0 }),
    });
    const text = await metrics.scrape();
    expect(refused).toBeDefined();
    expect(sample(text, 'gemgate_xai_keys{state="active"}')).toBe(1);
    expect(sample(text, 'gemgate_xai_keys{state="cooling"}')).toBe(1);
    expect(sample(text, 'gemgate_xai_keys{state="disabled"}')).toBe(1);
    expect(sample(text, 'gemgate_keys{state="active"}')).toBe(1);
    expect(text).not.toContain('xai-TEST');
  });
});
