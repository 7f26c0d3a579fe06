/**
 * The only code that talks to Gemini over the network (DESIGN §4 step 5). One keep-alive undici
 * dispatcher for the whole process (through OUTBOUND_PROXY when set: upstream-dispatcher.ts); the key travels in the `x-goog-api-key` header (never in the URL, so
 * it cannot end up in logs of URLs); streams use `alt=sse` and have no body timeout, because a
 * thinking model may stay silent for minutes between events.
 */
import { request, type Dispatcher } from 'undici';
import { requestBuffered, type BufferedResponse } from '../../upstream/buffered-response';
import { requestStreamed, type StreamedResponse } from '../../upstream/streamed-response';
import { UpstreamDispatcher, type UpstreamConnection } from '../../upstream/upstream-dispatcher';
import { headersTimer, timed, upstreamBase, type ObserveCall } from '../../upstream/upstream-http';
import { bodyLength, type RequestBody } from './serialize-request';

export type GeminiAction =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'countTokens'
  | 'embedContent'
  | 'batchEmbedContents'
  | 'predict';

export interface GeminiClientOptions {
  /** Read on every call so a settings change (PROXY_URL) applies to the next request. */
  baseUrl: () => string;
  /** The connect timeout and OUTBOUND_PROXY, read per call. */
  connection: UpstreamConnection;
  /** Time allowed until response headers arrive (non-stream answers only come when complete). */
  responseTimeoutMs: () => number;
  /** Non-stream bodies are read in one go; a stalled one is cut after this long. */
  bodyTimeoutMs?: number;
  /** Told how long each call took until Gemini answered with headers (metrics). */
  observe?: ObserveCall;
}

export interface GeminiCall {
  model: string;
  action: GeminiAction;
  key: string;
  /** JSON, or JSON pieces around large payloads (serialize-request.ts). */
  body: RequestBody;
  signal: AbortSignal;
  /** Adds `alt=sse`. */
  sse?: boolean;
}

export type GeminiResponse = Dispatcher.ResponseData;

/** A Gemini-native request relayed as the client sent it, but with a pooled key. */
export interface GeminiForward {
  method: 'GET' | 'POST';
  /** Below `/v1beta/`: `models/{id}` or `models/{id}:{action}`, validated by the caller. */
  path: string;
  /** The client's query with its credentials removed (`alt`, `pageSize`, …). */
  query: URLSearchParams;
  key: string;
  /** The client's body, byte for byte. */
  body?: Buffer;
  signal: AbortSignal;
  /** Streamed answers get no body timeout, like `call` with `sse`. */
  stream?: boolean;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export class GeminiClient {
  readonly #options: GeminiClientOptions;
  readonly #dispatcher: UpstreamDispatcher;

  constructor(options: GeminiClientOptions) {
    this.#options = options;
    this.#dispatcher = new UpstreamDispatcher(options.connection);
  }

  /**
   * POST /v1beta/models/{model}:{action} with the whole answer read into a string: what non-streamed
   * calls need, without a stream object per answer (buffered-response.ts).
   */
  callBuffered(call: GeminiCall): Promise<BufferedResponse> {
    const onHeaders = headersTimer(this.#options.observe, call.action);
    return this.#dispatcher.run((d) =>
      requestBuffered(d, this.#requestOptions(call), call.signal, onHeaders),
    );
  }

  /** The same call with the answer read chunk by chunk as it arrives (streamed-response.ts). */
  callStreamed(call: GeminiCall): Promise<StreamedResponse> {
    const onHeaders = headersTimer(this.#options.observe, call.action);
    return this.#dispatcher.run((d) =>
      requestStreamed(d, this.#requestOptions(call), call.signal, onHeaders),
    );
  }

  #requestOptions(call: GeminiCall): Dispatcher.DispatchOptions {
    const { origin, prefix } = upstreamBase(this.#options.baseUrl());
    // Straight to the Agent with origin and path: the top-level request(url) parses a URL per call.
    return {
      origin,
      path: `${prefix}/v1beta/models/${call.model}:${call.action}${call.sse ? '?alt=sse' : ''}`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-goog-api-key': call.key,
        'x-goog-api-client': 'gemgate',
        // Pieces are written one after the other; the length keeps the request un-chunked.
        ...(typeof call.body === 'string' ? {} : { 'content-length': String(bodyLength(call.body)) }),
      },
      // undici documents Iterable bodies (docs/api/Dispatcher.md) but its typings omit them.
      body: call.body as string,
      headersTimeout: this.#options.responseTimeoutMs(),
      // Streams may be silent for minutes while the model thinks: no body timeout for them.
      bodyTimeout: call.sse ? 0 : (this.#options.bodyTimeoutMs ?? this.#options.responseTimeoutMs()),
    };
  }

  /**
   * A native request (Gemini-native routes): the client's method, query and body as they came; only
   * the key is ours. Nothing of the client's headers is sent, so its credential cannot leak upstream.
   */
  forward(call: GeminiForward): Promise<GeminiResponse> {
    const action = call.path.includes(':') ? call.path.slice(call.path.lastIndexOf(':') + 1) : 'get';
    return timed(this.#options.observe, action, this.#forward(call));
  }

  #forward(call: GeminiForward): Promise<GeminiResponse> {
    const query = call.query.toString();
    const url = `${trimSlash(this.#options.baseUrl())}/v1beta/${call.path}${query ? `?${query}` : ''}`;
    return this.#dispatcher.run((dispatcher) =>
      request(url, {
        method: call.method,
        dispatcher,
        headers: {
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          'x-goog-api-key': call.key,
          'x-goog-api-client': 'gemgate',
        },
        ...(call.body === undefined ? {} : { body: call.body }),
        signal: call.signal,
        headersTimeout: this.#options.responseTimeoutMs(),
        bodyTimeout: call.stream ? 0 : (this.#options.bodyTimeoutMs ?? this.#options.responseTimeoutMs()),
      }),
    );
  }

  /** GET /v1beta/models (one page). A pageSize of 1 makes a cheap key probe. */
  listModels(
    key: string,
    pageToken: string | undefined,
    signal: AbortSignal,
    pageSize = 1000,
  ): Promise<GeminiResponse> {
    const query = new URLSearchParams({ pageSize: String(pageSize) });
    if (pageToken) query.set('pageToken', pageToken);
    return this.#dispatcher.run((dispatcher) =>
      request(`${trimSlash(this.#options.baseUrl())}/v1beta/models?${query.toString()}`, {
        method: 'GET',
        dispatcher,
        headers: { 'x-goog-api-key': key, 'x-goog-api-client': 'gemgate' },
        signal,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      }),
    );
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}
