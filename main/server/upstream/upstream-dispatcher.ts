/**
 * The undici dispatcher the upstream clients (Gemini, xAI) send through: a keep-alive Agent, or — with
 * OUTBOUND_PROXY set — a ProxyAgent that tunnels every call through an HTTP(S) proxy with CONNECT, for
 * networks where Google is reachable only through one (a Clash or v2rayN port on the same machine).
 * The key and the body stay inside the TLS tunnel: the proxy sees only the host name.
 *
 * Both settings are read on every call, so a change applies to the next request without a restart.
 * The dispatcher they replace is closed gracefully: calls still running on it (a long stream) finish.
 */
import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export interface UpstreamConnection {
  /** UPSTREAM_CONNECT_TIMEOUT_SECONDS, in ms. */
  connectTimeoutMs: () => number;
  /** OUTBOUND_PROXY as set: '' for direct connections. */
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
 * and a trailing slash is dropped. The settings schema has already refused anything else.
 */
export const proxyUri = (value: string): string | undefined => {
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed === '') return undefined;
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
};

/** The proxy URL with any password replaced, for the log and error messages. */
export const describeProxy = (value: string): string => {
  const uri = proxyUri(value);
  if (uri === undefined) return 'none';
  return uri.replace(/^(https?:\/\/)[^@/]*@/i, '$1***@');
};

export function createDispatcher(connectTimeoutMs: number, proxy: string): Dispatcher {
  const uri = proxyUri(proxy);
  const options = agentOptions(connectTimeoutMs);
  if (uri === undefined) return new Agent(options);
  // The Agent's connect timeout does not reach the connections a ProxyAgent opens itself: to the proxy,
  // and the TLS handshake through the tunnel. proxyTunnel (CONNECT) also for http:// upstreams, so a
  // proxy never sees a request's headers.
  const timeout = { timeout: connectTimeoutMs };
  return new ProxyAgent({ ...options, uri, proxyTunnel: true, proxyTls: timeout, requestTls: timeout });
}

export class UpstreamDispatcher {
  readonly #connection: UpstreamConnection;
  #proxy: string;
  #connectTimeoutMs: number;
  #current: Dispatcher;
  readonly #retired = new Set<Promise<void>>();

  constructor(connection: UpstreamConnection) {
    this.#connection = connection;
    this.#proxy = connection.proxy();
    this.#connectTimeoutMs = connection.connectTimeoutMs();
    this.#current = createDispatcher(this.#connectTimeoutMs, this.#proxy);
  }

  /** The dispatcher for the next call, rebuilt first if the proxy or the connect timeout changed. */
  get(): Dispatcher {
    const proxy = this.#connection.proxy();
    const connectTimeoutMs = this.#connection.connectTimeoutMs();
    if (proxy !== this.#proxy || connectTimeoutMs !== this.#connectTimeoutMs) {
      this.#retire(this.#current);
      this.#proxy = proxy;
      this.#connectTimeoutMs = connectTimeoutMs;
      this.#current = createDispatcher(connectTimeoutMs, proxy);
    }
    return this.#current;
  }

  /** Waits for the calls on every dispatcher, the current one and any replaced, then closes them. */
  async close(): Promise<void> {
    await Promise.all([this.#current.close(), ...this.#retired]);
  }

  #retire(old: Dispatcher): void {
    // close() lets running calls finish; nothing waits for it but close() above.
    const closing = old.close().catch(() => {});
    this.#retired.add(closing);
    void closing.then(() => this.#retired.delete(closing));
  }
}
