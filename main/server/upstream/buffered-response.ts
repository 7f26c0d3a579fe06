/**
 * A whole upstream answer read into one string, straight from undici's dispatch API: what every
 * non-streamed Gemini call needs. `request()` builds a Readable for each answer plus a consumer to
 * read it back, and per request that machinery cost more CPU than parsing the answer itself. Here
 * the chunks are simply collected and decoded once at the end.
 */
import type { Dispatcher } from 'undici';
import { AbortableHandler, type OnHeaders } from './abortable-handler';

export interface BufferedResponse {
  statusCode: number;
  text: string;
}

class BufferingHandler extends AbortableHandler {
  #statusCode = 0;
  #headersSeen = false;
  readonly #chunks: Buffer[] = [];

  constructor(
    signal: AbortSignal,
    private readonly resolve: (response: BufferedResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly headersArrived: OnHeaders | undefined,
  ) {
    super(signal);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    // 1xx informational answers come first and carry no body: the last status is the answer's.
    this.#statusCode = statusCode;
    if (statusCode >= 200 && !this.#headersSeen) {
      this.#headersSeen = true;
      this.headersArrived?.(statusCode);
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.settled();
    const chunks = this.#chunks;
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.resolve({ statusCode: this.#statusCode, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.settled();
    if (!this.#headersSeen) this.headersArrived?.('error');
    this.reject(error);
  }
}

/**
 * Sends one request and resolves with its status and whole body once the body is complete. Network
 * errors and timeouts reject with undici's own errors; an abort rejects with the signal's reason, as
 * undici's `request()` does, so callers classify failures the same way for both.
 */
export function requestBuffered(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
  onHeaders?: OnHeaders,
): Promise<BufferedResponse> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<BufferedResponse>((resolve, reject) => {
    dispatcher.dispatch(options, new BufferingHandler(signal, resolve, reject, onHeaders));
  });
}
