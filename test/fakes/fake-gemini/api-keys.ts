/**
 * API-key behaviours (wire-format §1.1, §1.10). Keys come from `x-goog-api-key` or `?key=`; an
 * `Authorization: Bearer` header is an OAuth credential on the native API, so it counts as no key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  internalError,
  invalidApiKey,
  leakedApiKey,
  missingApiKey,
  modelOverloaded,
  quotaExceeded,
  type GeminiErrorReply,
} from './gemini-errors';
import type { KeyBehaviour } from './types';

export function extractApiKey(
  headers: IncomingHttpHeaders,
  query: Record<string, string>,
): string | undefined {
  const header = headers['x-goog-api-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined && fromHeader !== '') return fromHeader;
  const fromQuery = query['key'];
  return fromQuery === undefined || fromQuery === '' ? undefined : fromQuery;
}

export type KeyVerdict = { ok: true; delayMs: number } | { ok: false; error: GeminiErrorReply };

export class KeyRing {
  private readonly behaviours = new Map<string, KeyBehaviour>();
  /** Remaining failures of `{unavailable: n}` / `{internalError: n}` keys. */
  private readonly failuresLeft = new Map<string, number>();

  constructor(initial: Record<string, KeyBehaviour>) {
    for (const [key, behaviour] of Object.entries(initial)) this.set(key, behaviour);
  }

  set(key: string, behaviour: KeyBehaviour): void {
    this.behaviours.set(key, behaviour);
    if (typeof behaviour === 'object' && 'unavailable' in behaviour)
      this.failuresLeft.set(key, behaviour.unavailable);
    else if (typeof behaviour === 'object' && 'internalError' in behaviour)
      this.failuresLeft.set(key, behaviour.internalError);
    else this.failuresLeft.delete(key);
  }

  /**
   * Identity problems (missing, invalid, leaked) apply to every endpoint. Usage problems (quota,
   * overload, internal errors) only to model methods: listing models is not quota-limited, and a
   * gateway that validates keys through `GET /models` must not use up a test's scripted failures.
   */
  check(key: string | undefined, context: { modelMethod: boolean; modelId: string }): KeyVerdict {
    if (key === undefined) return { ok: false, error: missingApiKey() };
    const behaviour = this.behaviours.get(key) ?? 'invalid';
    if (behaviour === 'invalid') return { ok: false, error: invalidApiKey() };
    if (behaviour === 'leaked') return { ok: false, error: leakedApiKey() };
    if (behaviour === 'valid') return { ok: true, delayMs: 0 };
    if ('delayMs' in behaviour) return { ok: true, delayMs: behaviour.delayMs };
    if (!context.modelMethod) return { ok: true, delayMs: 0 };
    if ('quota' in behaviour)
      return { ok: false, error: quotaExceeded(context.modelId, behaviour.quota.retryDelay) };
    const left = this.failuresLeft.get(key) ?? 0;
    if (left <= 0) return { ok: true, delayMs: 0 };
    this.failuresLeft.set(key, left - 1);
    return { ok: false, error: 'unavailable' in behaviour ? modelOverloaded() : internalError() };
  }
}
