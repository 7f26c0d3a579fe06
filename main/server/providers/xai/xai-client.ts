/**
 * The only code that talks to xAI over the network. One keep-alive undici dispatcher for the process
 * (through OUTBOUND_PROXY when set);
 * URLs come from relay-target.ts (XAI_BASE_URL only). Redirects are never followed — a 3xx goes back
 * to the caller like any other answer, so the relay cannot be bounced to another host — and there is
 * no body timeout: a stream may stay silent while a reasoning model thinks.
 */
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { UpstreamDispatcher, type UpstreamConnection } from '../../upstream/upstream-dispatcher';
import { timed, type ObserveCall } from '../../upstream/upstream-http';
import type { OutgoingHeaders } from './relay-headers';

export interface XaiClientOptions {
  /** The connect timeout and OUTBOUND_PROXY, read per call. */
  connection: UpstreamConnection;
  /** Time allowed until response headers arrive; read per call so a settings change applies. */
  responseTimeoutMs: () => number;
  /** Told how long each call took until xAI answered with headers (metrics). */
  observe?: ObserveCall;
}

export interface XaiCall {
  url: string;
  method: string;
  headers: OutgoingHeaders;
  /** A caller's body streamed through, or one the gateway holds (replayable on another key). */
  body?: Readable | Buffer | string;
  signal: AbortSignal;
}

export type XaiResponse = Dispatcher.ResponseData;

export class XaiClient {
  readonly #options: XaiClientOptions;
  readonly #dispatcher: UpstreamDispatcher;

  constructor(options: XaiClientOptions) {
    this.#options = options;
    this.#dispatcher = new UpstreamDispatcher(options.connection);
  }

  /** The caller checks the status and consumes (or destroys) the body. */
  send(call: XaiCall): Promise<XaiResponse> {
    return timed(this.#options.observe, call.method, this.#send(call));
  }

  #send(call: XaiCall): Promise<XaiResponse> {
    return this.#dispatcher.run((dispatcher) =>
      request(call.url, {
        method: call.method,
        dispatcher,
        headers: call.headers,
        body: call.body ?? null,
        signal: call.signal,
        headersTimeout: this.#options.responseTimeoutMs(),
        bodyTimeout: 0,
      }),
    );
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}
