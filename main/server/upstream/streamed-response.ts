/**
 * A streamed upstream answer read chunk by chunk straight from undici's dispatch API. undici's
 * `request()` puts every answer in a `Readable`, and reading that through an async iterator costs
 * promises, events and buffering per chunk; a Gemini stream is read one event at a time, so that
 * cost is paid on every event and before the first one. Here chunks go into a small queue that
 * `next()` drains, with backpressure: past a few queued chunks undici stops reading the socket until
 * the reader catches up.
 */
import type { Dispatcher } from 'undici';
import { AbortableHandler, type OnHeaders } from './abortable-handler';

/** Queued chunks beyond which the socket is no longer read (the client is slower than Gemini). */
const HIGH_WATER = 16;

export interface StreamedResponse {
  statusCode: number;
  body: ChunkReader;
}

export interface ChunkReader {
  /** The next chunk, or done once the answer is complete; rejects with the error that cut it. */
  next(): Promise<IteratorResult<Buffer, undefined>>;
  /** The rest of the answer as text (error bodies). */
  text(): Promise<string>;
  /** Stops reading: the upstream request is aborted. */
  destroy(): void;
}

type Waiter = { resolve: (r: IteratorResult<Buffer, undefined>) => void; reject: (e: unknown) => void };

class StreamingHandler extends AbortableHandler implements ChunkReader {
  #started = false;
  #ended = false;
  #failure: Error | undefined;
  readonly #queue: Buffer[] = [];
  #waiter: Waiter | undefined;

  constructor(
    signal: AbortSignal,
    private readonly started: (response: StreamedResponse) => void,
    private readonly failedToStart: (error: unknown) => void,
    private readonly headersArrived: OnHeaders | undefined,
  ) {
    super(signal);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    if (statusCode < 200 || this.#started) return; // 1xx: informational, the answer follows
    this.#started = true;
    this.headersArrived?.(statusCode);
    this.started({ statusCode, body: this });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.#queue.push(chunk);
    if (this.#queue.length >= HIGH_WATER) controller.pause();
  }

  onResponseEnd(): void {
    this.settled();
    this.#ended = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve({ value: undefined, done: true });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settled();
    if (!this.#started) {
      this.headersArrived?.('error');
      this.failedToStart(error);
      return;
    }
    this.#failure = error;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  next(): Promise<IteratorResult<Buffer, undefined>> {
    const chunk = this.#queue.shift();
    if (chunk) {
      if (this.#queue.length === 0) this.controller?.resume();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    for (let step = await this.next(); !step.done; step = await this.next()) chunks.push(step.value);
    return Buffer.concat(chunks).toString('utf8');
  }

  destroy(): void {
    if (this.#ended || this.#failure) return;
    this.controller?.abort(new Error('stream closed by the gateway'));
  }
}

/**
 * Sends one request and resolves once the answer's headers arrived, with a reader for its body.
 * Failures before that reject (undici's errors; the signal's reason on abort); failures after it
 * reject the pending `next()`.
 */
export function requestStreamed(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
  onHeaders?: OnHeaders,
): Promise<StreamedResponse> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<StreamedResponse>((resolve, reject) => {
    dispatcher.dispatch(options, new StreamingHandler(signal, resolve, reject, onHeaders));
  });
}
