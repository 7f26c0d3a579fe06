/**
 * Prometheus metrics for operators (issue "Headless" §6), with prom-client. One registry per server
 * (tests run several); values that already live elsewhere — key states, image store size — are read
 * at scrape time instead of being mirrored on every change.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KeyPool } from '../keys/key-pool';

export interface MetricsSources {
  keys: KeyPool;
  /** XAI_API_KEYS, when the gateway has that pool. */
  xaiKeys?: KeyPool;
  imageStats: () => Promise<{ count: number; bytes: number }>;
}

/** What an in-flight request exposes to the gauges (its RequestState). */
interface InFlight {
  stream?: boolean;
}

/** How often the event-loop lag is sampled, once sampling has started (see `scrape`). */
export const EVENT_LOOP_SAMPLE_MS = 100;

export class GatewayMetrics {
  readonly #registry = new Registry();
  readonly #requests: Counter<'route' | 'method' | 'status'>;
  readonly #upstream: Histogram<'provider' | 'action' | 'status'>;
  readonly #tokens: Counter<'kind'>;
  /** Requests being handled; the gauges count them at scrape time (a Set add/delete per request). */
  readonly #inFlight = new Set<InFlight>();
  /** Node's default metrics, started by the first scrape. */
  #defaults: Promise<void> | undefined;

  constructor(sources: MetricsSources) {
    const registers = [this.#registry];
    this.#requests = new Counter({
      name: 'gemgate_http_requests_total',
      help: 'Finished HTTP requests by route pattern, method and status (499: client went away).',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.#upstream = new Histogram({
      name: 'gemgate_upstream_request_duration_seconds',
      help: 'Time until an upstream (Gemini, xAI) answered with headers.',
      labelNames: ['provider', 'action', 'status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.#tokens = new Counter({
      name: 'gemgate_tokens_total',
      help: 'Tokens reported by Gemini, by kind (prompt, completion, reasoning).',
      labelNames: ['kind'],
      registers,
    });
    const inFlight = this.#inFlight;
    new Gauge({
      name: 'gemgate_requests_in_flight',
      help: 'Requests being handled now.',
      registers,
      collect() {
        this.set(inFlight.size);
      },
    });
    new Gauge({
      name: 'gemgate_streams_open',
      help: 'Streamed answers (chat, Gemini-native, xAI) being handled now.',
      registers,
      collect() {
        let open = 0;
        for (const request of inFlight) if (request.stream === true) open++;
        this.set(open);
      },
    });
    new Gauge({
      name: 'gemgate_keys',
      help: 'Gemini keys by state.',
      labelNames: ['state'],
      registers,
      collect() {
        const a = sources.keys.availability();
        this.set({ state: 'active' }, a.active);
        this.set({ state: 'cooling' }, a.cooling);
        this.set({ state: 'disabled' }, a.disabled);
      },
    });
    const xaiKeys = sources.xaiKeys;
    if (xaiKeys) {
      new Gauge({
        name: 'gemgate_xai_keys',
        help: 'Pooled xAI keys (XAI_API_KEYS) by state.',
        labelNames: ['state'],
        registers,
        collect() {
          const a = xaiKeys.availability();
          this.set({ state: 'active' }, a.active);
          this.set({ state: 'cooling' }, a.cooling);
          this.set({ state: 'disabled' }, a.disabled);
        },
      });
    }
    const images = sources.imageStats;
    new Gauge({
      name: 'gemgate_image_store_bytes',
      help: 'Bytes of the generated images the image store holds.',
      registers,
      async collect() {
        this.set((await images()).bytes);
      },
    });
    new Gauge({
      name: 'gemgate_image_store_images',
      help: 'Generated images the image store holds.',
      registers,
      async collect() {
        this.set((await images()).count);
      },
    });
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  /**
   * The Prometheus text. Node's default metrics (process, heap, GC, event-loop lag) start with the
   * first scrape: their lag sampler is a timer that would otherwise wake an idle gateway — a tray
   * app, all day — ten times a second for nobody. That first scrape waits until the lag it reports
   * has been measured (an empty sampler reports nonsense, such as a 292-year minimum). Later scrapes
   * answer at once; a scraper, once it comes, keeps coming.
   */
  async scrape(): Promise<string> {
    this.#defaults ??= this.#startDefaultMetrics();
    await this.#defaults;
    return this.#registry.metrics();
  }

  async #startDefaultMetrics(): Promise<void> {
    collectDefaultMetrics({
      register: this.#registry,
      prefix: 'gemgate_',
      // prom-client's 10 ms would wake the loop a hundred times a second while it samples; lag worth
      // alerting on is far above 100 ms anyway.
      eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS,
    });
    // The sampler records a lag from its second tick on (the first only sets the start), and a busy
    // loop fires every timer late. Three periods awaited one after another are behind at least two
    // of its ticks however late they all run — one wait of two periods could tie with its second.
    for (let i = 0; i < 3; i++) await delay(EVENT_LOOP_SAMPLE_MS);
  }

  requestStarted(request: InFlight): void {
    this.#inFlight.add(request);
  }

  requestFinished(
    request: InFlight,
    route: string,
    method: string,
    status: number,
    tokens?: { prompt?: number; completion?: number; reasoning?: number },
  ): void {
    this.#inFlight.delete(request);
    this.#requests.inc({ route, method, status: String(status) });
    if (tokens?.prompt) this.#tokens.inc({ kind: 'prompt' }, tokens.prompt);
    if (tokens?.completion) this.#tokens.inc({ kind: 'completion' }, tokens.completion);
    if (tokens?.reasoning) this.#tokens.inc({ kind: 'reasoning' }, tokens.reasoning);
  }

  upstreamAnswered(
    provider: 'gemini' | 'xai',
    action: string,
    status: number | 'error',
    seconds: number,
  ): void {
    this.#upstream.observe({ provider, action, status: String(status) }, seconds);
  }
}
