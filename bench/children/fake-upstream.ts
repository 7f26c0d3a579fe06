/**
 * A deliberately lean Gemini stand-in for the bench: fixed, pre-encoded answers, no validation, no
 * parsing, so that whatever is measured through it is the proxy and not the upstream. (The test fake
 * in test/fakes is a strict referee and far too slow for load.)
 *
 * - GET  …/models…                    → a one-model list (the gateway's start-up key check).
 * - POST …:streamGenerateContent…     → STREAM_EVENTS `alt=sse` events, STREAM_GAP_MS apart, the first at once.
 * - POST anything else                → one generateContent JSON answer.
 * Request bodies are read to the end and thrown away before answering, as Google does, so a 20 MB upload
 * is timed in full.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenAndReport } from './ipc';

const STREAM_EVENTS = Number(process.env.STREAM_EVENTS ?? 10);
const STREAM_GAP_MS = Number(process.env.STREAM_GAP_MS ?? 20);
const MODEL = 'gemini-2.5-flash';

const usage = (out: number) => ({
  promptTokenCount: 42,
  candidatesTokenCount: out,
  totalTokenCount: 42 + out,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 42 }],
});

const ANSWER =
  'A reverse proxy sits between clients and servers and forwards requests on their behalf. ' +
  'It can terminate TLS, balance load, cache answers and translate between protocols, so clients only ' +
  'ever talk to one stable address while the servers behind it can change freely.';

const GENERATE = Buffer.from(
  JSON.stringify({
    candidates: [{ content: { role: 'model', parts: [{ text: ANSWER }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usage(60),
    modelVersion: MODEL,
    responseId: 'YmVuY2hSZXNwb25zZTE',
  }),
);

/** Google's framing: `data: ` + one-line JSON + CRLF CRLF; finishReason only on the last event. */
const STREAM: Buffer[] = Array.from({ length: STREAM_EVENTS }, (_, i) => {
  const last = i === STREAM_EVENTS - 1;
  const candidate: Record<string, unknown> = {
    content: { role: 'model', parts: [{ text: `word${i} of the streamed answer, ` }] },
    index: 0,
  };
  if (last) candidate.finishReason = 'STOP';
  const event = {
    candidates: [candidate],
    usageMetadata: usage((i + 1) * 6),
    modelVersion: MODEL,
    responseId: 'YmVuY2hTdHJlYW0x',
  };
  return Buffer.from(`data: ${JSON.stringify(event)}\r\n\r\n`);
});

const MODELS = Buffer.from(
  JSON.stringify({
    models: [
      {
        name: `models/${MODEL}`,
        displayName: 'Gemini 2.5 Flash',
        inputTokenLimit: 1048576,
        outputTokenLimit: 65536,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
        thinking: true,
      },
    ],
  }),
);

function sendJson(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': body.length });
  res.end(body);
}

function sendStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const event = STREAM[next++];
    if (event === undefined || res.destroyed) return res.end();
    if (next === STREAM.length) return res.end(event);
    res.write(event);
    timer = setTimeout(tick, STREAM_GAP_MS);
  };
  res.on('close', () => clearTimeout(timer));
  tick();
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  if (req.method === 'GET') return sendJson(res, MODELS);
  if (url.includes(':streamGenerateContent')) return sendStream(res);
  sendJson(res, GENERATE);
}

const server = createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  // Drain without looking at the bytes, then answer.
  req.on('end', () => answer(req, res));
  req.resume();
});
// A proxy opening hundreds of upstream connections at once must not meet a full accept queue here
// (SYNs dropped, retried after 1 s): the upstream is never the bottleneck.
listenAndReport(server, 4096);
