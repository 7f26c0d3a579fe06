/**
 * Wire helpers of the chat fuzzer: bodies that JSON.stringify cannot produce (raw JSON fragments,
 * invalid UTF-8), a keep-alive HTTP client, and the invariants every gateway reply must satisfy.
 */
import fc from 'fast-check';
import { Agent, request } from 'undici';
import type { RecordedRequest } from '../fakes/fake-gemini';

/** JSON text spliced into a body verbatim: duplicate keys, 1e309, 10,000 nested arrays, NaN… */
export class Raw {
  constructor(
    readonly text: string,
    /** What counterexamples show instead of the (possibly huge) text. */
    readonly label = text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text,
  ) {}
  [fc.toStringMethod](): string {
    return `Raw(${JSON.stringify(this.label)})`;
  }
}

/** Bytes spliced into a body verbatim, typically invalid UTF-8 inside a string literal. */
export class Bytes {
  constructor(readonly bytes: Uint8Array) {}
  [fc.toStringMethod](): string {
    return `Bytes(${Buffer.from(this.bytes).toString('hex')})`;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Sets an own property even for "__proto__", which plain assignment would turn into a prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deep copy of generated JSON-ish values, so mutations never touch fast-check's own (replayed) values. */
export function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue);
  if (!isPlainObject(value)) return value; // primitives, Raw and Bytes are immutable
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneValue(value[key]));
  return out;
}

/** Every (container, key) slot of a request, depth first, for mutations to pick from. */
export function slotsOf(root: unknown): { container: Record<string, unknown> | unknown[]; key: string }[] {
  const slots: { container: Record<string, unknown> | unknown[]; key: string }[] = [];
  const stack: unknown[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        slots.push({ container: node as unknown[], key: String(i) });
        stack.push(child);
      });
    } else if (isPlainObject(node)) {
      for (const key of Object.keys(node)) {
        slots.push({ container: node, key });
        stack.push(node[key]);
      }
    }
  }
  return slots;
}

const FRAGMENT = /"__fuzz_fragment_(\d+)__"/;

/** JSON text of `value` with every Raw/Bytes spliced in; a Buffer when bytes were spliced. */
export function encodeBody(value: unknown): string | Buffer {
  const fragments: (Raw | Bytes)[] = [];
  const text =
    JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Raw || v instanceof Bytes ? `__fuzz_fragment_${fragments.push(v) - 1}__` : v,
    ) ?? '';
  if (fragments.length === 0) return text;
  // split() with a capture group alternates text and fragment indices.
  const pieces = text.split(FRAGMENT);
  const buffers = pieces.map((piece, i) => {
    if (i % 2 === 0) return Buffer.from(piece, 'utf8');
    const fragment = fragments[Number(piece)]!;
    return fragment instanceof Raw ? Buffer.from(fragment.text, 'utf8') : Buffer.from(fragment.bytes);
  });
  const binary = fragments.some((f) => f instanceof Bytes);
  const joined = Buffer.concat(buffers);
  return binary ? joined : joined.toString('utf8');
}

// ------------------------------------------------------------------------------------------------
// Client

export interface FuzzRequest {
  body: string | Buffer | undefined;
  /** null: no Content-Type header. */
  contentType: string | null;
}

export interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/** Keep-alive connections shared by every request of a file; closed in afterAll. */
export const agent = new Agent({ connections: 8, keepAliveTimeout: 30_000, pipelining: 1 });

export async function post(url: string, password: string, req: FuzzRequest): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${password}` };
  if (req.contentType !== null) headers['content-type'] = req.contentType;
  const res = await request(url, {
    method: 'POST',
    headers,
    body: req.body ?? null,
    dispatcher: agent,
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
  const text = await res.body.text();
  const type = res.headers['content-type'];
  return { status: res.statusCode, contentType: String(type ?? ''), text };
}

// ------------------------------------------------------------------------------------------------
// Invariants

export type ReplyKind = 'completion' | 'stream' | 'error';

const excerpt = (reply: Reply) => `HTTP ${reply.status} ${reply.contentType}: ${reply.text.slice(0, 400)}`;

function fail(reply: Reply, why: string): never {
  throw new Error(`${why}\n${excerpt(reply)}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isErrorBody(body: unknown): boolean {
  if (!isObject(body) || !isObject(body.error)) return false;
  const { message, type, param, code } = body.error;
  return (
    typeof message === 'string' &&
    message.trim() !== '' &&
    typeof type === 'string' &&
    (param === null || typeof param === 'string') &&
    (code === null || typeof code === 'string')
  );
}

function isCompletion(body: unknown): boolean {
  return (
    isObject(body) &&
    body.object === 'chat.completion' &&
    typeof body.id === 'string' &&
    Array.isArray(body.choices) &&
    body.choices.length > 0 &&
    body.choices.every((c) => isObject(c) && isObject(c.message) && c.message.role === 'assistant')
  );
}

function checkStream(reply: Reply): void {
  if (reply.status !== 200) fail(reply, 'an event stream must be a 200');
  const events = reply.text.split(/\r?\n\r?\n/).filter((e) => e.trim() !== '');
  let done = false;
  for (const event of events) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data === '') continue; // keep-alive comments
    if (done) fail(reply, 'data after [DONE]');
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      fail(reply, `stream event is not JSON: ${data.slice(0, 200)}`);
    }
    if (!(isObject(chunk) && chunk.object === 'chat.completion.chunk') && !isErrorBody(chunk)) {
      fail(reply, `stream event is neither a chunk nor an error: ${data.slice(0, 200)}`);
    }
  }
  if (!done) fail(reply, 'stream did not end with [DONE]');
}

/** Never a 5xx; always JSON that is a completion or an OpenAI error (or a well-formed event stream). */
export function checkReply(reply: Reply): ReplyKind {
  if (reply.status >= 500) fail(reply, 'the gateway answered with a 5xx');
  if (reply.contentType.startsWith('text/event-stream')) {
    checkStream(reply);
    return 'stream';
  }
  if (!reply.contentType.startsWith('application/json')) fail(reply, 'reply is not application/json');
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    fail(reply, 'reply body is not JSON');
  }
  if (reply.status === 200) {
    if (!isCompletion(body)) fail(reply, 'a 200 must carry a chat.completion');
    return 'completion';
  }
  if (reply.status < 400) fail(reply, 'unexpected status');
  if (!isErrorBody(body)) fail(reply, 'a 4xx must carry {"error":{"message","type","param","code"}}');
  return 'error';
}

/** The gateway's own rule (resolve-model.ts), restated: what may appear in the upstream URL path. */
const SAFE_MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const UPSTREAM_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export const isSafeModelId = (model: string): boolean => {
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  return SAFE_MODEL.test(id) && !id.includes('..');
};

/** Every upstream call of the fuzzer must be a generate call on a safe model id. */
export function checkUpstreamCalls(calls: readonly RecordedRequest[]): void {
  for (const call of calls) {
    const match = UPSTREAM_PATH.exec(call.path);
    const model = match?.[1] ?? '';
    const unexpectedQuery = Object.keys(call.query).filter((k) => k !== 'alt');
    if (call.method !== 'POST' || !match || !isSafeModelId(model) || unexpectedQuery.length > 0) {
      throw new Error(`the fake received an unsafe upstream call: ${call.method} ${call.path}`);
    }
  }
}

const ownNames = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
const PROTOTYPES: readonly object[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
];
const PRISTINE = PROTOTYPES.map(ownNames);

/** Prototype pollution in the gateway's process would show up here (the server runs in-process). */
export function checkNoPollution(): void {
  PROTOTYPES.forEach((proto, i) => {
    if (ownNames(proto) !== PRISTINE[i])
      throw new Error(`a built-in prototype was polluted: ${ownNames(proto)}`);
  });
  if (Object.getPrototypeOf({}) !== Object.prototype) throw new Error('object literals lost their prototype');
}
