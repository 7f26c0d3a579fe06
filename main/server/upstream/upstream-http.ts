/**
 * What the two upstream clients (Gemini, xAI) share besides their dispatcher (upstream-dispatcher.ts):
 * base URLs parsed once, and the timing of each call for the metrics.
 */
import type { Dispatcher } from 'undici';
import type { OnHeaders } from './abortable-handler';

/**
 * A base URL (PROXY_URL, XAI_BASE_URL — maybe with a path prefix) as the origin and path prefix that
 * `dispatcher.request` takes. Parsing it once per distinct value, instead of a whole URL per call,
 * keeps URL parsing off the per-request path.
 */
export interface UpstreamBase {
  origin: string;
  /** The base's path without a trailing slash: '' or e.g. '/gemini-relay'. */
  prefix: string;
}

let lastBase: { url: string; base: UpstreamBase } | undefined;

export function upstreamBase(url: string): UpstreamBase {
  if (lastBase?.url === url) return lastBase.base;
  const parsed = new URL(url);
  const base = { origin: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, '') };
  lastBase = { url, base };
  return base;
}

export type ObserveCall = (action: string, status: number | 'error', seconds: number) => void;

/** Reports how long the call took until headers arrived (or it failed); passes the result through. */
export function timed(
  observe: ObserveCall | undefined,
  action: string,
  pending: Promise<Dispatcher.ResponseData>,
): Promise<Dispatcher.ResponseData> {
  if (!observe) return pending;
  const started = performance.now();
  return pending.then(
    (res) => {
      observe(action, res.statusCode, (performance.now() - started) / 1000);
      return res;
    },
    (err: unknown) => {
      observe(action, 'error', (performance.now() - started) / 1000);
      throw err;
    },
  );
}

/** The same report for a buffered call (buffered-response.ts), told by its handler when headers came. */
export function headersTimer(observe: ObserveCall | undefined, action: string): OnHeaders | undefined {
  if (!observe) return undefined;
  const started = performance.now();
  return (status) => observe(action, status, (performance.now() - started) / 1000);
}
