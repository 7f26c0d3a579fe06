/**
 * What the fake answers, decided before any byte is written. Planning is pure; `send-plan.ts` does
 * the I/O, so the byte framing (SSE, JSON array, plain JSON) is chosen in one place.
 */
import type { GeminiErrorReply } from './gemini-errors';

export type StreamEnding =
  | { kind: 'end' }
  /** Socket destroyed without a final chunk (§1.6.3: "closes without any finishReason"). */
  | { kind: 'cut' }
  /** Raw pretty-printed error object after the last event, then end (§1.6.3). */
  | { kind: 'error'; body: unknown };

export type ResponsePlan =
  /** A complete JSON answer; errors are array-wrapped when the request asked for array streaming. */
  | { kind: 'json'; status: number; body: unknown; delayMs?: number; cutMidBody?: boolean }
  | { kind: 'stream'; events: unknown[]; gapMs: number; ending: StreamEnding }
  | { kind: 'raw'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'hang' };

export const errorPlan = (error: GeminiErrorReply): ResponsePlan => ({
  kind: 'json',
  status: error.status,
  body: error.body,
});

export const okPlan = (body: unknown): ResponsePlan => ({ kind: 'json', status: 200, body });
