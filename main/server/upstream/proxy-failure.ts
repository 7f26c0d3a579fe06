/**
 * A call that failed because of the outbound proxy (OUTBOUND_PROXY, or the system proxy the tray app
 * follows), worded once for both upstreams: the Gemini failure policy and the xAI relay map it to
 * their own shapes.
 */
import { OutboundProxyError } from './upstream-dispatcher';

/**
 * The HTTP status an outbound proxy answered a CONNECT with, if that is why the call failed. undici
 * reports it as an abort ("Proxy response (407) !== 200 when HTTP Tunneling"), which must not read as
 * a client that went away.
 */
export function proxyRefusalStatus(err: unknown): number | undefined {
  const message = (err as { message?: unknown } | null)?.message;
  const match = typeof message === 'string' ? /^Proxy response \((\d{3})\)/.exec(message) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** What the proxy's refusal means, for the caller and the log. */
export const proxyRefusalText = (upstream: string, status: number): string =>
  `The outbound proxy (OUTBOUND_PROXY, or the system proxy the tray app follows) would not connect to ${upstream}: it answered HTTP ${status}${
    status === 407
      ? ' (proxy authentication required: set OUTBOUND_PROXY to http://user:password@host:port, or to direct to bypass the proxy)'
      : ''
  }.`;

export interface ProxyFailure {
  text: string;
  /**
   * No other key or retry can help: the setting cannot be used, or the proxy wants credentials (it
   * refuses every key alike). Any other refusal may pass.
   */
  fatal: boolean;
}

/** Why the call to `upstream` failed, if the proxy is the reason; undefined otherwise. */
export function outboundProxyFailure(err: unknown, upstream: string): ProxyFailure | undefined {
  if (err instanceof OutboundProxyError) return { text: err.message, fatal: true };
  const status = proxyRefusalStatus(err);
  return status === undefined
    ? undefined
    : { text: proxyRefusalText(upstream, status), fatal: status === 407 };
}
