/**
 * Writes an SSE response on the raw Node response with backpressure. Nothing is sent until
 * `commit()` (or the first write): until then the route can still answer with a normal JSON error,
 * and the retry loop can still switch keys. A keep-alive comment goes out after `keepAliveMs` of
 * silence — which commits the response, so it is only armed by the caller once waiting is certain.
 */
import type { FastifyReply } from 'fastify';
import { sseComment } from './encode-sse';

export class SseResponse {
  readonly #reply: FastifyReply;
  readonly #keepAliveMs: number;
  #timer: NodeJS.Timeout | undefined;
  #committed = false;
  #ended = false;

  constructor(reply: FastifyReply, keepAliveMs: number) {
    this.#reply = reply;
    this.#keepAliveMs = keepAliveMs;
  }

  get committed(): boolean {
    return this.#committed;
  }

  get closed(): boolean {
    return this.#ended || this.#reply.raw.destroyed;
  }

  /** Starts the keep-alive clock (a no-op when keep-alives are off). */
  armKeepAlive(): void {
    if (this.#keepAliveMs <= 0 || this.#timer || this.#ended) return;
    this.#timer = setTimeout(() => this.#keepAlive(), this.#keepAliveMs);
    this.#timer.unref();
  }

  /**
   * Stops the keep-alive clock of an attempt that failed before anything was sent: its keep-alive
   * would commit the response while the next attempt (another key) is still undecided, and a 429 or
   * 503 there could then no longer move on. The next attempt arms it again once Gemini accepts.
   */
  disarmKeepAlive(): void {
    if (!this.#committed) this.#stopTimer();
  }

  /** Sends the headers at once: for a stream that may stay silent at first, such as the live log. */
  open(): void {
    this.commit();
    this.#reply.raw.flushHeaders();
  }

  /**
   * Fixes status and headers. They leave with the first write, in the same packet as the first event:
   * flushing them alone would cost a system call and let the client wait for the data behind them.
   */
  commit(): void {
    if (this.#committed) return;
    this.#committed = true;
    const reply = this.#reply;
    reply.hijack();
    // Headers set by hooks (CORS) live on the reply; a hijacked response must copy them itself.
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
  }

  /** Resolves once the data is handed to the socket buffer, waiting for 'drain' when it is full. */
  write(text: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    this.commit();
    this.#timer?.refresh();
    const raw = this.#reply.raw;
    if (raw.write(text)) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        raw.off('drain', done);
        raw.off('close', done);
        resolve();
      };
      raw.on('drain', done);
      raw.on('close', done);
    });
  }

  end(text?: string): void {
    this.#stopTimer();
    if (this.closed) return;
    this.commit();
    this.#ended = true;
    this.#reply.raw.end(text);
  }

  #keepAlive(): void {
    if (this.closed) return;
    this.commit();
    this.#reply.raw.write(sseComment('keep-alive'));
    this.#timer?.refresh();
  }

  #stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** For abandoned responses (client gone): only stops the clock. */
  dispose(): void {
    this.#stopTimer();
  }
}
