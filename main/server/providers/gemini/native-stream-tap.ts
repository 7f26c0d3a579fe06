/**
 * Watches a native stream on its way to the client without touching its bytes: the gateway needs to
 * know when the first response object is complete (failover is possible until then), whether Gemini
 * reported an error inside the stream (§1.6.3), whether the answer finished, and the usage of the
 * last chunk (§1.6: cumulative) for the log and the key's counters. Pure.
 */
import { parseJsonOrUndefined } from '../../parse-json';
import { SseDecoder } from '../../sse/decode-sse';
import type { GeminiErrorBody, GeminiGenerateContentResponse, GeminiUsageMetadata } from './gemini-types';
import { JsonArrayReader } from './native-json-array';
import type { NativeFraming } from './native-path';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class NativeStreamTap {
  readonly #sse: SseDecoder | undefined;
  readonly #array: JsonArrayReader | undefined;
  #chunks = 0;
  #error: GeminiErrorBody | undefined;
  #usage: GeminiUsageMetadata | undefined;
  #finished = false;

  constructor(framing: NativeFraming) {
    if (framing === 'sse') this.#sse = new SseDecoder();
    else this.#array = new JsonArrayReader();
  }

  /** Response objects seen so far (errors not counted). */
  get chunks(): number {
    return this.#chunks;
  }

  /** The first error object Gemini put into the stream, if any. */
  get error(): GeminiErrorBody | undefined {
    return this.#error;
  }

  /** usageMetadata of the latest chunk that carried one. */
  get usage(): GeminiUsageMetadata | undefined {
    return this.#usage;
  }

  /** A finish reason or a prompt block was seen: the answer is complete. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Something a decision can be based on arrived: a response object or an error. */
  get decided(): boolean {
    return this.#chunks > 0 || this.#error !== undefined;
  }

  push(bytes: Uint8Array): void {
    if (this.#sse) {
      for (const event of this.#sse.push(bytes)) {
        if (event.type === 'error') this.#onError(event.error);
        else this.#onText(event.data);
      }
    } else if (this.#array) {
      for (const element of this.#array.push(bytes)) this.#onText(element);
    }
  }

  end(): void {
    if (this.#sse) {
      for (const event of this.#sse.end()) {
        if (event.type === 'error') this.#onError(event.error);
        else this.#onText(event.data);
      }
    } else if (this.#array) {
      for (const element of this.#array.end()) this.#onText(element);
    }
  }

  #onText(text: string): void {
    const value = parseJsonOrUndefined(text);
    if (!isObject(value)) return;
    if (isObject(value['error'])) return this.#onError(value as unknown as GeminiErrorBody);
    const chunk = value as GeminiGenerateContentResponse;
    this.#chunks++;
    if (isObject(chunk.usageMetadata)) this.#usage = chunk.usageMetadata;
    if (chunk.promptFeedback?.blockReason || (chunk.candidates ?? []).some((c) => c?.finishReason)) {
      this.#finished = true;
    }
  }

  #onError(body: GeminiErrorBody): void {
    this.#error ??= body;
  }
}
