/**
 * The fake Gemini upstream: a plain node:http server on 127.0.0.1, started in-process by tests.
 * It records every request, answers through `routeRequest` + `sendPlan`, and notices client aborts.
 */
import { signatureFor } from './validate-thought-signatures';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { extractApiKey, KeyRing } from './api-keys';
import { Catalogue, loadDefaultModels } from './catalogue';
import { geminiError } from './gemini-errors';
import { errorPlan } from './plan';
import { parseRoute, routeRequest, type FakeState } from './route-request';
import { sendPlan, type Framing } from './send-plan';
import type { FakeGemini, FakeGeminiOptions, RecordedRequest } from './types';
import { createRequestLog } from '../request-log';

export const DEFAULT_FAKE_KEY = 'AIzaFAKE-valid-key-0001';

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function framingOf(action: string | undefined, query: Record<string, string>): Framing {
  if (action !== 'streamGenerateContent') return 'json';
  // `$alt` is the transcoder's synonym of `alt` (§1.1).
  const alt = (query['alt'] ?? query['$alt'] ?? 'json').split(';')[0];
  return alt === 'sse' ? 'sse' : 'array';
}

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const log = createRequestLog<RecordedRequest>('fake-gemini', (r) => `${r.method} ${r.path}`);
  const { requests, record, notify } = log;
  const sockets = new Set<Socket>();
  let closing = false;
  let responseCounter = 0;
  let signatureCounter = 0;

  const state: FakeState = {
    catalogue: new Catalogue(options.models ?? loadDefaultModels()),
    keys: new KeyRing(options.keys ?? { [DEFAULT_FAKE_KEY]: 'valid' }),
    rejectUnknownFields: options.rejectUnknownFields ?? true,
    enforceThoughtSignatures: options.enforceThoughtSignatures ?? true,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    script: undefined,
    newResponseId: () => Buffer.from(`fake-response-${++responseCounter}`).toString('base64url'),
    newSignature: (model: string) => signatureFor(model, ++signatureCounter),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const route = parseRoute(url.pathname);
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: { ...req.headers },
      key: extractApiKey(req.headers, query),
      ...(route.model === undefined ? {} : { model: route.model }),
      ...(route.action === undefined ? {} : { action: route.action }),
      body: parseJson(rawBody),
      rawBody,
      aborted: false,
      receivedAt,
    };
    let serverClosedIt = false;
    res.on('close', () => {
      if (!res.writableFinished && !serverClosedIt && !closing) {
        entry.aborted = true;
        entry.abortedAt = Date.now();
        notify(entry);
      }
    });
    record(entry);

    let routed;
    try {
      routed = routeRequest(entry, state);
    } catch (error) {
      // A misused script or a fake bug: make it loud in the test, never a silent hang.
      const message = `fake-gemini: ${error instanceof Error ? error.message : String(error)}`;
      routed = { plan: errorPlan(geminiError(500, message)), delayMs: 0 };
    }
    if (routed.delayMs > 0) await delay(routed.delayMs);
    if (res.destroyed) return;
    await sendPlan(res, routed.plan, {
      framing: framingOf(entry.action, query),
      lineEnding: options.sseLineEnding ?? '\r\n',
      splitWrites: options.splitWrites ?? false,
      markServerClose: () => {
        serverClosedIt = true;
      },
    });
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake-gemini crashed: ${String(error)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake-gemini: no TCP address');

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    setKey: (key, behaviour) => state.keys.set(key, behaviour),
    script: (handler) => {
      state.script = handler;
    },
    reset: () => {
      requests.length = 0;
      state.script = undefined;
    },
    waitFor: log.waitFor,
    close: async () => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
