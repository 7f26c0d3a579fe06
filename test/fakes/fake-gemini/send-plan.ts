/**
 * Writes a ResponsePlan to the socket with Gemini's framing (wire-format §1.1, §1.6): pretty JSON
 * for unary answers, SSE or a streamed JSON array for streams, errors array-wrapped in array mode.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { ResponsePlan } from './plan';
import { ARRAY_CLOSE, arrayElement, ChunkWriter, prettyJson, sseEvent } from './sse-writer';

export type Framing = 'json' | 'sse' | 'array';

export interface SendOptions {
  framing: Framing;
  lineEnding: '\r\n' | '\n';
  splitWrites: boolean;
  /** Called before the fake itself drops a connection, so it is not recorded as a client abort. */
  markServerClose: () => void;
}

const JSON_TYPE = 'application/json; charset=UTF-8';
const ERROR_TAIL_PAUSE_MS = 25;
/** Headers Google's front end sends on every answer; harmless, and they make captures look real. */
const GOOGLE_HEADERS = {
  vary: 'Origin, X-Origin, Referer',
  server: 'scaffolding on HTTPServer2',
  'x-xss-protection': '0',
  'x-frame-options': 'SAMEORIGIN',
  'x-content-type-options': 'nosniff',
};

/** Lets already-written bytes reach the client, then closes without ending the HTTP message. */
function dropConnection(res: ServerResponse, options: SendOptions): void {
  options.markServerClose();
  const socket = res.socket;
  socket?.end();
  setTimeout(() => socket?.destroy(), 50).unref();
}

export async function sendPlan(res: ServerResponse, plan: ResponsePlan, options: SendOptions): Promise<void> {
  switch (plan.kind) {
    case 'hang':
      return; // the client, or close(), ends this one
    case 'raw':
      res.writeHead(plan.status, plan.headers);
      res.end(plan.body);
      return;
    case 'json': {
      if (plan.delayMs) await delay(plan.delayMs);
      if (res.destroyed) return;
      const wrap = options.framing === 'array';
      const body = Buffer.from(wrap ? `[${prettyJson(plan.body)}]` : prettyJson(plan.body), 'utf8');
      res.writeHead(plan.status, {
        ...GOOGLE_HEADERS,
        'content-type': JSON_TYPE,
        'content-length': body.length,
      });
      if (plan.cutMidBody) {
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        dropConnection(res, options);
        return;
      }
      res.end(body);
      return;
    }
    case 'stream':
      await sendStream(res, plan, options);
  }
}

async function sendStream(
  res: ServerResponse,
  plan: Extract<ResponsePlan, { kind: 'stream' }>,
  options: SendOptions,
): Promise<void> {
  const sse = options.framing === 'sse';
  res.writeHead(200, { ...GOOGLE_HEADERS, 'content-type': sse ? 'text/event-stream' : JSON_TYPE });
  res.flushHeaders();
  const writer = new ChunkWriter(res, options.splitWrites);
  for (const [i, event] of plan.events.entries()) {
    if (i > 0 && plan.gapMs > 0) await delay(plan.gapMs);
    const text = sse ? sseEvent(event, options.lineEnding) : arrayElement(event, i === 0);
    if (!(await writer.write(text))) return;
  }
  const ending = plan.ending;
  if (ending.kind === 'cut') {
    dropConnection(res, options);
    return;
  }
  let tail = '';
  if (ending.kind === 'error') {
    // §1.6.3: raw pretty-printed JSON, no `data:` prefix (an array element in array mode). It comes
    // some time after the last event, so it reaches the client as a read of its own: clients such
    // as @google/genai only recognise it when a network chunk parses as JSON by itself.
    await delay(ERROR_TAIL_PAUSE_MS);
    tail = sse ? `${prettyJson(ending.body)}\n` : arrayElement(ending.body, plan.events.length === 0);
  }
  if (!sse) tail += plan.events.length === 0 && ending.kind !== 'error' ? '[]' : ARRAY_CLOSE;
  if (tail !== '' && !(await writer.write(tail))) return;
  res.end();
}
