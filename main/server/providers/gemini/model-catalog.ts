/**
 * The upstream model list, cached (wire-format §4.10). Pages are walked with `nextPageToken`.
 * Stale-while-revalidate: the first call waits for Google, later calls get the cached list at once
 * and an expired cache is refreshed in the background. A failed refresh keeps serving the last good
 * list; only a gateway that never got a list reports the error.
 */
import { ApiError } from '../../errors';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  type ClassifiedFailure,
} from '../../keys/failure-policy';
import type { KeyPool } from '../../keys/key-pool';
import type { LogBus } from '../../logging/log-bus';
import { noUsableKeyError } from './failover';
import type { GeminiClient } from './gemini-client';
import type { GeminiListModelsResponse, GeminiModel } from './gemini-types';

const MAX_PAGES = 50;
const MAX_KEY_ATTEMPTS = 3;

export interface ModelCatalogOptions {
  client: GeminiClient;
  pool: KeyPool;
  log: LogBus;
  now: () => number;
  ttlMs: () => number;
}

interface Snapshot {
  models: GeminiModel[];
  byId: Map<string, GeminiModel>;
  fetchedAt: number;
}

export const stripModelsPrefix = (name: string): string =>
  name.startsWith('models/') ? name.slice('models/'.length) : name;

export class ModelCatalog {
  readonly #o: ModelCatalogOptions;
  #snapshot: Snapshot | undefined;
  #inFlight: Promise<Snapshot> | undefined;

  constructor(options: ModelCatalogOptions) {
    this.#o = options;
  }

  /** The cached entry for a model id, if a list was ever fetched (never triggers a fetch). */
  cached(id: string): GeminiModel | undefined {
    return this.#snapshot?.byId.get(id);
  }

  async list(): Promise<GeminiModel[]> {
    const snap = this.#snapshot;
    if (!snap) return (await this.#refresh()).models;
    if (this.#o.now() - snap.fetchedAt >= this.#o.ttlMs()) {
      this.#refresh().catch(() => {
        // Already logged; the stale list stays in service.
      });
    }
    return snap.models;
  }

  /** Drops the cache age so the next list() refreshes (used after the keys change). */
  invalidate(): void {
    if (this.#snapshot) this.#snapshot.fetchedAt = -Infinity;
  }

  #refresh(): Promise<Snapshot> {
    this.#inFlight ??= this.#fetchAll()
      .then((models) => {
        const snap: Snapshot = {
          models,
          byId: new Map(models.map((m) => [stripModelsPrefix(m.name), m])),
          fetchedAt: this.#o.now(),
        };
        this.#snapshot = snap;
        return snap;
      })
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.#o.log.warn(`Could not refresh the Gemini model list: ${message}`);
        if (this.#snapshot) return this.#snapshot;
        throw err;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  async #fetchAll(): Promise<GeminiModel[]> {
    const tried = new Set<string>();
    let last: ClassifiedFailure | undefined;
    for (let i = 0; i < MAX_KEY_ATTEMPTS; i++) {
      const lease = this.#o.pool.acquire(tried);
      if (!lease) break;
      tried.add(lease.id);
      const result = await this.#fetchPages(lease.key);
      if (Array.isArray(result)) {
        this.#o.pool.reportSuccess(lease);
        return result;
      }
      last = result;
      if (result.kind === 'rate_limited')
        this.#o.pool.reportRateLimited(lease, result.retryAfterMs, result.keyReason);
      else if (result.kind === 'key_invalid')
        this.#o.pool.reportInvalid(lease, result.error.status, result.keyReason);
      else if (result.kind === 'transient')
        this.#o.pool.reportTransientFailure(lease, result.error.status, result.keyReason);
      else break;
    }
    throw last && last.kind !== 'key_invalid'
      ? last.error
      : noUsableKeyError(this.#o.pool, this.#o.now(), last);
  }

  async #fetchPages(key: string): Promise<GeminiModel[] | ClassifiedFailure> {
    const models: GeminiModel[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let body: GeminiListModelsResponse;
      try {
        const res = await this.#o.client.listModels(key, pageToken, AbortSignal.timeout(30_000));
        const text = await res.body.text();
        if (res.statusCode !== 200) return classifyHttpFailure(res.statusCode, text);
        body = JSON.parse(text) as GeminiListModelsResponse;
      } catch (err) {
        if (err instanceof SyntaxError) {
          return {
            kind: 'transient',
            keyReason: 'unparseable model list',
            error: new ApiError('upstream_bad_response', 'Gemini returned a model list that is not JSON.'),
          };
        }
        return classifyNetworkFailure(err);
      }
      for (const m of body.models ?? []) if (typeof m?.name === 'string') models.push(m);
      pageToken = body.nextPageToken || undefined;
      if (!pageToken) return models;
    }
    return models;
  }
}
