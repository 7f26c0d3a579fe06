/**
 * The undici dispatcher the upstream clients (Gemini, xAI) send through: a keep-alive Agent, or — with
 * OUTBOUND_PROXY set — a ProxyAgent that tunnels every call through an HTTP(S) proxy with CONNECT, for
 * networks where Google is reachable only through one (a Clash or v2rayN port on the same machine).
 * The key and the body stay inside the TLS tunnel: the proxy sees only the host name.
 *
 * Both settings are read on every call, so a change applies to the next request without a restart.
 * The dispatcher they replace is closed gracefully: calls still running on it (a long stream) finish.
 */
import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { isDirectProxySetting } from '../../../shared/settings-schema';

/** The upstreams the gateway calls; each may be reached through its own proxy (the system's). */
export type UpstreamTarget = 'gemini' | 'xai';

export interface UpstreamConnection {
  /** UPSTREAM_CONNECT_TIMEOUT_SECONDS, in ms. */
  connectTimeoutMs: () => number;
  /** OUTBOUND_PROXY as set, else the tray app's system proxy for this upstream: '' for direct. */
  proxy: () => string;
}

/** Keep-alive, no connection limit; no body timeout (a thinking model may be silent for minutes). */
const agentOptions = (connectTimeoutMs: number) => ({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  connectTimeout: connectTimeoutMs,
  headersTimeout: 0,
  bodyTimeout: 0,
});

/**
 * OUTBOUND_PROXY as undici takes it: `host:port` alone (how proxy apps show their port) means http://,
 * and a trailing slash is dropped; empty and `direct` mean no proxy. The settings schema has already
 * refused anything else.
 */
export const proxyUri = (value: string): string | undefined => {
  const trimmed = value.trim().replace(/\/+$/, '');
  // `direct`: no proxy, and (in the tray app) no following the system's either.
  if (trimmed === '' || isDirect(trimmed)) return undefined;
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
};

/** OUTBOUND_PROXY=direct: connect directly even where a system proxy is set (the tray app). */
export const isDirect = isDirectProxySetting;

/** The proxy URL with any password replaced, for the log and error messages. */
export const describeProxy = (value: string): string => {
  const uri = proxyUri(value);
  if (uri === undefined) return 'none';
  return uri.replace(/^(https?:\/\/)[^@/]*@/i, '$1***@');
};

/**
 * An OUTBOUND_PROXY value no dispatcher could be built from (the settings schema lets very few through,
 * such as a malformed IPv6 address). Every call through it fails with this, naming the setting and not
 * its password, until the setting changes: the gateway keeps running and the owner can fix it.
 */
export class OutboundProxyError extends Error {
  override readonly name = 'OutboundProxyError';
}

/** The dispatcher for these settings, or why the proxy setting cannot give one. */
function createDispatcher(connectTimeoutMs: number, proxy: string): Dispatcher | OutboundProxyError {
  const uri = proxyUri(proxy);
  const options = agentOptions(connectTimeoutMs);
  if (uri === undefined) return new Agent(options);
  // The Agent's connect timeout does not reach what a ProxyAgent does itself: connecting to the proxy,
  // its answer to CONNECT (undici's default would wait 300 s for a proxy that accepts and stays
  // silent, and an abort cannot cancel that wait), and the TLS handshake through the tunnel.
  // proxyTunnel (CONNECT) also for http:// upstreams, so a proxy never sees a request's headers.
  const timeout = { timeout: connectTimeoutMs };
  try {
    return new ProxyAgent({
      ...options,
      uri,
      proxyTunnel: true,
      proxyTls: timeout,
      requestTls: timeout,
      clientFactory: (origin, clientOptions) =>
        new Pool(origin, { ...clientOptions, headersTimeout: connectTimeoutMs }),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return new OutboundProxyError(
      `OUTBOUND_PROXY ${describeProxy(proxy)} cannot be used (${reason}); correct it in the settings.`,
    );
  }
}

export class UpstreamDispatcher {
  readonly #connection: UpstreamConnection;
  #proxy: string;
  #connectTimeoutMs: number;
  /** The dispatcher in use, or why the setting cannot give one (thrown to each call). */
  #current: Dispatcher | OutboundProxyError;
  readonly #retired = new Set<Promise<void>>();

  constructor(connection: UpstreamConnection) {
    this.#connection = connection;
    this.#proxy = connection.proxy();
    this.#connectTimeoutMs = connection.connectTimeoutMs();
    this.#current = createDispatcher(this.#connectTimeoutMs, this.#proxy);
  }

  /**
   * The dispatcher for the next call, rebuilt first if the proxy or the connect timeout changed.
   * Throws OutboundProxyError while the proxy setting cannot be used.
   */
  get(): Dispatcher {
    const current = this.#refresh();
    if (current instanceof OutboundProxyError) throw current;
    return current;
  }

  /**
   * `call` with the dispatcher for the next call; a proxy setting that cannot be used rejects (never
   * throws), so callers handle it like any other failed call.
   */
  run<T>(call: (dispatcher: Dispatcher) => Promise<T>): Promise<T> {
    const current = this.#refresh();
    return current instanceof OutboundProxyError ? Promise.reject(current) : call(current);
  }

  #refresh(): Dispatcher | OutboundProxyError {
    const proxy = this.#connection.proxy();
    const connectTimeoutMs = this.#connection.connectTimeoutMs();
    if (proxy !== this.#proxy || connectTimeoutMs !== this.#connectTimeoutMs) {
      const next = createDispatcher(connectTimeoutMs, proxy);
      if (!(this.#current instanceof OutboundProxyError)) this.#retire(this.#current);
      this.#proxy = proxy;
      this.#connectTimeoutMs = connectTimeoutMs;
      this.#current = next;
    }
    return this.#current;
  }

  /** Waits for the calls on every dispatcher, the current one and any replaced, then closes them. */
  async close(): Promise<void> {
    const current = this.#current instanceof OutboundProxyError ? undefined : this.#current.close();
    await Promise.all([current, ...this.#retired]);
  }

  #retire(old: Dispatcher): void {
    // close() lets running calls finish; nothing waits for it but close() above.
    const closing = old.close().catch(() => {});
    this.#retired.add(closing);
    void closing.then(() => this.#retired.delete(closing));
  }
}
