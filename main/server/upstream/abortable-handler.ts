/**
 * What the two dispatch handlers (buffered-response.ts, streamed-response.ts) share: an AbortSignal
 * wired to undici's controller — aborting the signal aborts the request, before or after it started —
 * and the listener removed once the request is over.
 */
import type { Dispatcher } from 'undici';

/** Told the status once headers arrived, or 'error' if the call failed before that (metrics). */
export type OnHeaders = (status: number | 'error') => void;

export abstract class AbortableHandler implements Dispatcher.DispatchHandler {
  protected controller: Dispatcher.DispatchController | undefined;
  readonly #onAbort = () => this.controller?.abort(this.signal.reason as Error);

  constructor(protected readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal.aborted) controller.abort(this.signal.reason as Error);
  }

  /** The request is over (answered or failed): the signal no longer concerns it. */
  protected settled(): void {
    this.signal.removeEventListener('abort', this.#onAbort);
  }
}
