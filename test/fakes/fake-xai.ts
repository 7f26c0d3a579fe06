/**
 * A fake xAI API (wire-format §5, §6 "xAI fake"): a plain node:http server on 127.0.0.1:0, started
 * in-process by tests. Bearer keys, with xAI's `{code, error}` errors (an unknown key is a 400);
 * `/v1/chat/completions` stream and not (UUID ids, `reasoning_content` on reasoning models, usage
 * extras, `[DONE]`); `/v1/images/generations` (n 1..10, `url` or `b64_json`, no `created`) with the
 * image URLs served by the fake itself on an imgen-like path; JSON `/v1/images/edits`; `/v1/models`.
 * It records every request (raw target, headers, raw body) and notices aborts; a script can answer
 * instead: any status and body, a hang, or raw chunks written when the test says so (and then,
 * if asked, the connection cut before the answer ends).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { makeJpeg } from './fake-gemini/jpeg';
import { createRequestLog } from './request-log';

export const FAKE_XAI_KEY = 'xai-FAKE-caller-own-key-0001';

export interface XaiRecordedRequest {
  method: string;
  /** The request-target exactly as received. */
  target: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The key of `Authorization: Bearer <key>`, if any. */
  key: string | undefined;
  rawBody: Buffer;
  body: unknown;
  aborted: boolean;
  receivedAt: number;
  abortedAt?: number;
}

export type XaiScripted =
  /** Any answer, after `delayMs` (default none) without a byte sent. */
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | { kind: 'hang' }
  /**
   * Raw response; `before(i)` is awaited before chunk i is written (a test-controlled gate). `cut`:
   * after the chunks the connection closes without ending the answer (a body cut off mid-way).
   */
  | {
      kind: 'raw';
      status?: number;
      headers?: Record<string, string | string[]>;
      chunks: (string | Buffer)[];
      before?: (index: number) => Promise<void>;
      cut?: boolean;
    };

export type XaiScript = (request: XaiRecordedRequest) => XaiScripted | undefined;

export interface FakeXaiOptions {
  keys?: string[];
}

export interface FakeXai {
  url: string;
  requests: XaiRecordedRequest[];
  /** Images generated so far, in order (the bytes behind every `url` or `b64_json`). */
  generated: Buffer[];
  setKeys(keys: string[]): void;
  script(handler: XaiScript | undefined): void;
  /** Sends `b64_json` as a `data:image/jpeg;base64,` URL, as an older xAI example did. */
  useDataUrlPrefix(on: boolean): void;
  /** Waits this long between the events of a chat stream. */
  streamPacing(options: { delayMs: number }): void;
  reset(): void;
  waitFor(predicate: (r: XaiRecordedRequest) => boolean, timeoutMs?: number): Promise<XaiRecordedRequest>;
  close(): Promise<void>;
}

export const MODELS = [
  { id: 'grok-4', object: 'model', created: 1752019200, owned_by: 'xai' },
  { id: 'grok-3-mini', object: 'model', created: 1743724800, owned_by: 'xai' },
  { id: 'grok-2-image-1212', object: 'model', created: 1736726400, owned_by: 'xai' },
  { id: 'grok-imagine-image', object: 'model', created: 1761955200, owned_by: 'xai' },
];
const IMAGE_MODELS = new Set(['grok-2-image-1212', 'grok-2-image', 'grok-imagine-image']);
const IMAGE_PATH = '/xai-imgen/';

const xaiError = (code: string, error: string) => ({ code, error });
const INVALID_ARGUMENT = 'Client specified an invalid argument';
const NOT_FOUND = 'Some requested entity was not found';

/** The way xAI quotes a key in its error: `xa***yz`. */
const masked = (key: string) => `${key.slice(0, 2)}***${key.slice(-2)}`;

const lastUserText = (messages: unknown[]): string => {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content))
      return (m.content as { type?: string; text?: string }[])
        .filter((p) => p.type === 'text')
        .map((p) => p.text ?? '')
        .join('');
  }
  return '';
};

const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

const usageOf = (prompt: number, completion: number, reasoning: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion + reasoning,
  prompt_tokens_details: { text_tokens: prompt, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: reasoning,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
  num_sources_used: 0,
  cost_in_usd_ticks: 1_234_500,
});

export async function startFakeXai(options: FakeXaiOptions = {}): Promise<FakeXai> {
  const log = createRequestLog<XaiRecordedRequest>('fake-xai', (r) => `${r.method} ${r.target}`);
  const { requests, notify } = log;
  const sockets = new Set<Socket>();
  const images = new Map<string, Buffer>();
  const generated: Buffer[] = [];
  let keys = new Set(options.keys ?? [FAKE_XAI_KEY]);
  let script: XaiScript | undefined;
  let dataUrlPrefix = false;
  let eventDelayMs = 0;
  let closing = false;
  let origin = '';

  function chat(req: XaiRecordedRequest, res: ServerResponse): void {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') {
      return sendJson(res, 422, 'Failed to deserialize the JSON body into the target type');
    }
    const model = body['model'];
    const messages = body['messages'];
    if (typeof model !== 'string' || !Array.isArray(messages) || messages.length === 0) {
      return sendJson(res, 422, 'Failed to deserialize the JSON body into the target type: missing field');
    }
    if (IMAGE_MODELS.has(model)) {
      return sendJson(
        res,
        400,
        xaiError(INVALID_ARGUMENT, `Model ${model} does not support chat completions.`),
      );
    }
    if (!MODELS.some((m) => m.id === model)) {
      return sendJson(
        res,
        404,
        xaiError(NOT_FOUND, `The model ${model} does not exist or your team does not have access to it.`),
      );
    }
    const text = `Echo: ${lastUserText(messages)}`;
    const reasoning = model.includes('mini') ? `Thinking about: ${lastUserText(messages)}` : undefined;
    const id = randomUUID();
    const created = Math.floor(Date.now() / 1000);
    const usage = usageOf(12, 3, reasoning ? 7 : 0);
    if (body['stream'] !== true) {
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: text,
              ...(reasoning ? { reasoning_content: reasoning } : {}),
              refusal: null,
            },
            finish_reason: 'stop',
          },
        ],
        usage,
        system_fingerprint: 'fp_fake_xai',
      });
    }
    const includeUsage =
      (body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
      system_fingerprint: 'fp_fake_xai',
    });
    const half = Math.ceil(text.length / 2);
    const events = [
      ...(reasoning ? [chunk({ role: 'assistant', reasoning_content: reasoning }, null)] : []),
      chunk({ role: 'assistant', content: text.slice(0, half) }, null),
      chunk({ content: text.slice(half) }, null),
      chunk({}, 'stop'),
      ...(includeUsage ? [{ ...chunk({}, null), choices: [], usage }] : []),
    ].map((e) => `data: ${JSON.stringify(e)}\n\n`);
    events.push('data: [DONE]\n\n');
    void writeRaw(res, { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events });
  }

  function makeImages(model: string, prompt: string, n: number, format: string) {
    return Array.from({ length: n }, () => {
      const bytes = makeJpeg(generated.length);
      generated.push(bytes);
      const revised = `A vivid rendering of: ${prompt}`;
      if (format === 'b64_json') {
        const b64 = bytes.toString('base64');
        return { b64_json: dataUrlPrefix ? `data:image/jpeg;base64,${b64}` : b64, revised_prompt: revised };
      }
      const name = `${IMAGE_PATH}xai-tmp-imgen-${randomUUID()}.jpeg`;
      images.set(name, bytes);
      return {
        url: `${origin}${name}`,
        ...(model.startsWith('grok-2')
          ? { revised_prompt: revised }
          : { revised_prompt: revised, mime_type: 'image/jpeg' }),
      };
    });
  }

  function imagesEndpoint(req: XaiRecordedRequest, res: ServerResponse, edit: boolean): void {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json')) {
      return sendJson(
        res,
        415,
        xaiError(INVALID_ARGUMENT, 'Expected a JSON body (Content-Type: application/json).'),
      );
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || typeof body['prompt'] !== 'string' || body['prompt'] === '') {
      return sendJson(res, 422, 'Failed to deserialize the JSON body into the target type: prompt');
    }
    const model = typeof body['model'] === 'string' ? body['model'] : 'grok-2-image-1212';
    if (!IMAGE_MODELS.has(model)) {
      return sendJson(
        res,
        404,
        xaiError(NOT_FOUND, `The model ${model} does not exist or is not an image model.`),
      );
    }
    const n = body['n'] ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
      return sendJson(res, 400, xaiError(INVALID_ARGUMENT, 'n must be an integer between 1 and 10'));
    }
    const format = body['response_format'] ?? 'url';
    if (format !== 'url' && format !== 'b64_json') {
      return sendJson(res, 422, 'response_format: unknown variant');
    }
    if (edit) {
      const image = body['image'] as { url?: unknown } | undefined;
      const list = body['images'] as { url?: unknown }[] | undefined;
      const hasImage =
        typeof image?.url === 'string' ||
        (Array.isArray(list) && list.every((i) => typeof i.url === 'string'));
      if (!hasImage)
        return sendJson(res, 422, 'Failed to deserialize the JSON body into the target type: image');
    }
    sendJson(res, 200, {
      data: makeImages(model, body['prompt'], n, format),
      usage: { cost_in_usd_ticks: 700_000_000 * n },
    });
  }

  function route(req: XaiRecordedRequest, res: ServerResponse): void {
    if (req.method === 'GET' && req.path.startsWith(IMAGE_PATH)) {
      const bytes = images.get(req.path);
      if (!bytes) return sendJson(res, 404, 'not found');
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    if (req.key === undefined) {
      return sendJson(
        res,
        400,
        xaiError(
          INVALID_ARGUMENT,
          'No API key provided. You can obtain an API key from https://console.x.ai.',
        ),
      );
    }
    if (!keys.has(req.key)) {
      return sendJson(
        res,
        400,
        xaiError(
          INVALID_ARGUMENT,
          `Incorrect API key provided: ${masked(req.key)}. You can obtain an API key from https://console.x.ai.`,
        ),
      );
    }
    const scripted = script?.(req);
    if (scripted) return void answerScripted(res, scripted);
    if (req.method === 'GET' && req.path === '/v1/models')
      return sendJson(res, 200, { object: 'list', data: MODELS });
    const modelPath = /^\/v1\/models\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && modelPath) {
      const model = MODELS.find((m) => m.id === decodeURIComponent(modelPath[1]!));
      return model
        ? sendJson(res, 200, model)
        : sendJson(res, 404, xaiError(NOT_FOUND, `The model ${modelPath[1]} does not exist.`));
    }
    if (req.method === 'POST' && req.path === '/v1/chat/completions') return chat(req, res);
    if (req.method === 'POST' && req.path === '/v1/images/generations')
      return imagesEndpoint(req, res, false);
    if (req.method === 'POST' && req.path === '/v1/images/edits') return imagesEndpoint(req, res, true);
    sendJson(
      res,
      404,
      xaiError(
        NOT_FOUND,
        'No handler found on route. Please double check your URL and consult https://api.x.ai/docs for more information.',
      ),
    );
  }

  async function writeRaw(
    res: ServerResponse,
    raw: {
      status?: number;
      headers?: Record<string, string | string[]>;
      chunks: (string | Buffer)[];
      before?: (i: number) => Promise<void>;
      cut?: boolean;
    },
  ): Promise<void> {
    res.writeHead(raw.status ?? 200, raw.headers ?? {});
    res.flushHeaders();
    for (const [i, chunk] of raw.chunks.entries()) {
      if (raw.before) await raw.before(i);
      else if (i > 0 && eventDelayMs > 0) await delay(eventDelayMs);
      if (res.destroyed) return;
      res.write(chunk);
    }
    if (raw.cut) {
      // The bytes written still reach the client; then the socket closes mid-message.
      const socket = res.socket;
      socket?.end();
      setTimeout(() => socket?.destroy(), 50).unref();
      return;
    }
    res.end();
  }

  async function answerScripted(res: ServerResponse, scripted: XaiScripted): Promise<void> {
    if (scripted.kind === 'hang') return; // until the client goes away or the fake closes
    if (scripted.kind === 'error') {
      if (scripted.delayMs) await delay(scripted.delayMs);
      if (!res.destroyed) sendJson(res, scripted.status, scripted.body, scripted.headers);
      return;
    }
    await writeRaw(res, scripted);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const target = req.url ?? '/';
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    let body: unknown;
    try {
      body = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const entry: XaiRecordedRequest = {
      method: req.method ?? 'GET',
      target,
      path: target.split('?')[0] ?? target,
      headers: { ...req.headers },
      key: auth?.[1],
      rawBody,
      body,
      aborted: false,
      receivedAt,
    };
    res.on('close', () => {
      if (!res.writableFinished && !closing) {
        entry.aborted = true;
        entry.abortedAt = Date.now();
        notify(entry);
      }
    });
    log.record(entry);
    route(entry, res);
  }

  const server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, `fake-xai crashed: ${String(error)}`);
      else res.destroy();
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
  if (address === null || typeof address === 'string') throw new Error('fake-xai: no TCP address');
  origin = `http://127.0.0.1:${address.port}`;

  return {
    url: origin,
    requests,
    generated,
    setKeys: (list) => {
      keys = new Set(list);
    },
    script: (handler) => {
      script = handler;
    },
    useDataUrlPrefix: (on) => {
      dataUrlPrefix = on;
    },
    streamPacing: ({ delayMs }) => {
      eventDelayMs = delayMs;
    },
    reset: () => {
      requests.length = 0;
      script = undefined;
      dataUrlPrefix = false;
      eventDelayMs = 0;
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
