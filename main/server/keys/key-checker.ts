/**
 * Validates keys at start and on a schedule (DESIGN §5): a cheap authenticated call (one model,
 * one page) per key. A key Google calls invalid is disabled with the reason; a disabled key that
 * works again is re-enabled; network trouble changes nothing (it says nothing about the key).
 */
import type { GeminiClient } from '../providers/gemini/gemini-client';
import type { LogBus } from '../logging/log-bus';
import { classifyHttpFailure, classifyNetworkFailure } from './failure-policy';
import type { KeyCheckResult } from '../../../shared/admin-dto';
import type { KeyPool } from './key-pool';

const PARALLEL_PROBES = 4;
const PROBE_TIMEOUT_MS = 15_000;

export type { KeyCheckResult } from '../../../shared/admin-dto';

export class KeyChecker {
  readonly #pool: KeyPool;
  readonly #client: GeminiClient;
  readonly #log: LogBus;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<KeyCheckResult[]> | undefined;

  constructor(pool: KeyPool, client: GeminiClient, log: LogBus) {
    this.#pool = pool;
    this.#client = client;
    this.#log = log;
  }

  /** Checks the given keys (default: all); concurrent callers share one run. */
  checkAll(ids?: readonly string[]): Promise<KeyCheckResult[]> {
    if (ids) return this.#run(ids);
    this.#running ??= this.#run(this.#pool.health().map((h) => h.id)).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** (Re)arms the periodic check; 0 minutes means "only at start". */
  schedule(intervalMinutes: number): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (intervalMinutes <= 0) return;
    this.#timer = setInterval(() => void this.checkAll(), intervalMinutes * 60_000);
    this.#timer.unref();
  }

  stop(): void {
    this.schedule(0);
  }

  async #run(ids: readonly string[]): Promise<KeyCheckResult[]> {
    const results: KeyCheckResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const result = await this.#probe(id);
        if (result) results.push(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PROBES, ids.length) }, worker));
    const invalid = results.filter((r) => r.outcome === 'invalid');
    if (results.length > 0) {
      this.#log.info(
        `Key check: ${results.filter((r) => r.outcome === 'valid').length} valid, ${invalid.length} invalid, ${results.length} checked.`,
      );
    }
    for (const r of invalid) this.#log.warn(`Gemini key ${r.masked} disabled: ${r.message ?? 'invalid'}`);
    return results;
  }

  async #probe(id: string): Promise<KeyCheckResult | undefined> {
    const key = this.#pool.keyOf(id);
    const health = this.#pool.health().find((h) => h.id === id);
    if (!key || !health) return undefined;
    const base = { id, masked: health.masked };
    try {
      const res = await this.#client.listModels(key, undefined, AbortSignal.timeout(PROBE_TIMEOUT_MS), 1);
      const text = await res.body.text();
      if (res.statusCode === 200) {
        this.#pool.reportValid(id);
        return { ...base, outcome: 'valid' };
      }
      const failure = classifyHttpFailure(res.statusCode, text);
      if (failure.kind === 'key_invalid') {
        this.#pool.disable(id, failure.keyReason);
        return { ...base, outcome: 'invalid', message: failure.keyReason };
      }
      if (failure.kind === 'rate_limited')
        return { ...base, outcome: 'rate_limited', message: failure.keyReason };
      return { ...base, outcome: 'unknown', message: failure.error.message };
    } catch (err) {
      // Worded as for chat (a proxy's refusal, a refused connection), not undici's own message.
      return { ...base, outcome: 'unknown', message: classifyNetworkFailure(err).error.message };
    }
  }
}
