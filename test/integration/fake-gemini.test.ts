/**
 * Self-test of the fake Gemini upstream: proves, over real sockets, that it speaks the wire format of
 * wire-format §1 (plain fetch sees the bytes, @google/genai sees a working Gemini) and that it rejects
 * what the real API rejects. If these pass, gateway tests against the fake mean something.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { readFileSync } from 'node:fs';
import { crc32, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  GeminiCandidate,
  GeminiErrorBody,
  GeminiGenerateContentResponse,
  GeminiListModelsResponse,
  GeminiModalityTokenCount,
  GeminiPart,
} from '../../main/server/providers/gemini/gemini-types';
import { DEFAULT_FAKE_KEY, startFakeGemini } from '../fakes/fake-gemini';
import type { FakeGemini, FakeGeminiOptions, FakeModelEntry } from '../fakes/fake-gemini';

const KEY = DEFAULT_FAKE_KEY;
const FIXTURE = JSON.parse(
  readFileSync(new URL('../fixtures/gemini-models.json', import.meta.url), 'utf8'),
) as { models: FakeModelEntry[] };

type Chunk = GeminiGenerateContentResponse;

/** Every JSON shape the fake answers with, so assertions can read any of them. */
interface WireBody extends GeminiGenerateContentResponse, GeminiListModelsResponse, Partial<GeminiErrorBody> {
  name?: string;
  thinking?: boolean;
  embedding?: { values: number[] };
  embeddings?: { values: number[] }[];
  totalTokens?: number;
  promptTokensDetails?: GeminiModalityTokenCount[];
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: WireBody;
}

function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}

const candidateOf = (body: Chunk | undefined, index = 0): GeminiCandidate =>
  must(body?.candidates?.[index], `candidate ${index}`);
const partsOf = (body: Chunk | undefined, index = 0): GeminiPart[] =>
  candidateOf(body, index).content?.parts ?? [];
const errorOf = (reply: Reply): GeminiErrorBody['error'] =>
  must(reply.json.error, `an error body in ${reply.text}`);

let fake: FakeGemini;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

async function withFake(options: FakeGeminiOptions, run: (f: FakeGemini) => Promise<void>): Promise<void> {
  const own = await startFakeGemini(options);
  try {
    await run(own);
  } finally {
    await own.close();
  }
}

async function call(
  path: string,
  init: { body?: unknown; key?: string | null; headers?: Record<string, string>; base?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers['x-goog-api-key'] = init.key ?? KEY;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${init.base ?? fake.url}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let json: WireBody = {};
  try {
    json = JSON.parse(text) as WireBody;
  } catch {
    // not JSON (raw scenarios); `text` has it
  }
  return { status: res.status, headers: res.headers, text, json };
}

const generate = (model: string, body: unknown, base?: string): Promise<Reply> =>
  call(`/v1beta/models/${model}:generateContent`, { body, ...(base ? { base } : {}) });

const userText = (text: string) => ({ contents: [{ role: 'user', parts: [{ text }] }] });

/** Reads a streamed body keeping the network chunk boundaries. */
async function readChunks(
  path: string,
  body: unknown,
  base = fake.url,
): Promise<{ res: Response; chunks: Uint8Array[] }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const chunks: Uint8Array[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return { res, chunks };
}

/** A small incremental SSE parser: any of the three delimiters, `data:` with or without a space. */
function createSseParser() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const events: Chunk[] = [];
  let buffer = '';
  return {
    events,
    push(bytes: Uint8Array): void {
      buffer += decoder.decode(bytes, { stream: true });
      for (let m = /\r\n\r\n|\n\n|\r\r/.exec(buffer); m; m = /\r\n\r\n|\n\n|\r\r/.exec(buffer)) {
        const block = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        const data = block
          .split(/\r\n|\n|\r/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data !== '') events.push(JSON.parse(data) as Chunk);
      }
    },
    rest: (): string => buffer + decoder.decode(),
  };
}

function parseSse(chunks: Uint8Array[]): ReturnType<typeof createSseParser> {
  const parser = createSseParser();
  chunks.forEach((c) => parser.push(c));
  return parser;
}

const concat = (chunks: Uint8Array[]): Buffer => Buffer.concat(chunks.map((c) => Buffer.from(c)));

function answerText(events: Chunk[]): string {
  return events
    .flatMap((e) => e.candidates?.[0]?.content?.parts ?? [])
    .filter((p) => !p.thought && typeof p.text === 'string')
    .map((p) => p.text)
    .join('');
}

function expectStreamInvariants(events: Chunk[]): void {
  expect(events.length).toBeGreaterThan(1);
  const ids = new Set(events.map((e) => e.responseId));
  expect(ids.size).toBe(1);
  let previousTotal = 0;
  events.forEach((e, i) => {
    const u = must(e.usageMetadata, 'usageMetadata on every chunk');
    const total = must(u.totalTokenCount, 'totalTokenCount');
    expect(total).toBe(
      must(u.promptTokenCount, 'promptTokenCount') +
        (u.candidatesTokenCount ?? 0) +
        (u.thoughtsTokenCount ?? 0) +
        (u.toolUsePromptTokenCount ?? 0),
    );
    expect(total).toBeGreaterThanOrEqual(previousTotal);
    previousTotal = total;
    const finish = e.candidates?.[0]?.finishReason;
    if (i < events.length - 1) expect(finish).toBeUndefined();
    else expect(finish).toBe('STOP');
  });
}

describe('models.list and models.get', () => {
  it('walks every page of a small pageSize and sees each model exactly once, without fake-only data', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = token === undefined ? '' : `&pageToken=${encodeURIComponent(token)}`;
      const reply = await call(`/v1beta/models?pageSize=5${query}`);
      expect(reply.status).toBe(200);
      const models = must(reply.json.models, 'models');
      expect(models.length).toBeLessThanOrEqual(5);
      for (const model of models) {
        expect(model).not.toHaveProperty('capabilities');
        names.push(model.name);
      }
      token = reply.json.nextPageToken;
      pages++;
    } while (token !== undefined);
    const expected = FIXTURE.models.map((m) => m.name);
    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(pages).toBe(Math.ceil(expected.length / 5));
    expect(names).toEqual(expected);
    expect(new Set(names).size).toBe(names.length);
  });

  it('defaults pageSize to 50, caps it at 1000 and omits nextPageToken on the last page', async () => {
    const all = await call('/v1beta/models');
    expect(all.json.models).toHaveLength(FIXTURE.models.length);
    expect(all.json).not.toHaveProperty('nextPageToken');

    const many: FakeModelEntry[] = Array.from({ length: 1005 }, (_, i) => ({
      name: `models/gemini-fake-${i}`,
      supportedGenerationMethods: ['generateContent'],
    }));
    await withFake({ models: many }, async (f) => {
      const first = await call('/v1beta/models?pageSize=5000', { base: f.url });
      expect(first.json.models).toHaveLength(1000);
      const token = must(first.json.nextPageToken, 'nextPageToken');
      const second = await call(`/v1beta/models?pageSize=5000&pageToken=${token}`, { base: f.url });
      expect(second.json.models?.map((m) => m.name)).toEqual(many.slice(1000).map((m) => m.name));
      expect(second.json).not.toHaveProperty('nextPageToken');
    });
  });

  it('returns one bare model, and 404 NOT_FOUND for an unknown one', async () => {
    const one = await call('/v1beta/models/gemini-2.5-flash');
    expect(one.status).toBe(200);
    expect(one.json.name).toBe('models/gemini-2.5-flash');
    expect(one.json.thinking).toBe(true);
    expect(one.json).not.toHaveProperty('capabilities');
    const missing = await call('/v1beta/models/gemini-foo');
    expect(missing.status).toBe(404);
    expect(errorOf(missing).status).toBe('NOT_FOUND');
  });

  it('answers 404 in Gemini shape for unknown models on any method and for unknown paths', async () => {
    const unknownModel = await generate('gemini-foo', userText('hi'));
    expect(unknownModel.status).toBe(404);
    expect(errorOf(unknownModel).message).toBe(
      'models/gemini-foo is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    );
    const embeddingAsChat = await generate('gemini-embedding-001', userText('hi'));
    expect(embeddingAsChat.status).toBe(404);
    const other = await call('/v1/models');
    expect(other.status).toBe(404);
    expect(errorOf(other).code).toBe(404);
  });
});

describe('API keys', () => {
  const generateWithKey = (key: string) =>
    call('/v1beta/models/gemini-2.5-flash:generateContent', { body: userText('hi'), key });

  it('treats a missing key, and a key sent only as Bearer, as unregistered callers (403)', async () => {
    for (const headers of [{}, { authorization: `Bearer ${KEY}` }] as Record<string, string>[]) {
      const reply = await call('/v1beta/models', { key: null, headers });
      expect(reply.status).toBe(403);
      expect(errorOf(reply).status).toBe('PERMISSION_DENIED');
      expect(errorOf(reply).message).toContain("Method doesn't allow unregistered callers");
    }
  });

  it('accepts the key as ?key= too, and records where it came from', async () => {
    const reply = await call(`/v1beta/models?key=${KEY}`, { key: null });
    expect(reply.status).toBe(200);
    expect(fake.requests[0]!.key).toBe(KEY);
  });

  it('answers an unknown key with the exact API_KEY_INVALID body', async () => {
    expect((await generateWithKey(KEY)).status).toBe(200);
    const invalid = await generateWithKey('AIzaNOPE');
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual({
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
            locale: 'en-US',
            message: 'API key not valid. Please pass a valid API key.',
          },
        ],
      },
    });
  });

  it('answers a leaked key with 403 and a quota-limited key with 429 carrying RetryInfo', async () => {
    fake.setKey('leaked', 'leaked');
    fake.setKey('quota', { quota: { retryDelay: '26s' } });
    fake.setKey('quota-no-delay', { quota: {} });
    const leaked = await generateWithKey('leaked');
    expect(leaked.status).toBe(403);
    expect(errorOf(leaked).message).toBe('Your API key was reported as leaked. Please use another API key.');

    const quota = await generateWithKey('quota');
    expect(quota.status).toBe(429);
    expect(errorOf(quota).status).toBe('RESOURCE_EXHAUSTED');
    const details = errorOf(quota).details ?? [];
    expect(details.map((d) => d['@type'])).toEqual([
      'type.googleapis.com/google.rpc.QuotaFailure',
      'type.googleapis.com/google.rpc.Help',
      'type.googleapis.com/google.rpc.RetryInfo',
    ]);
    expect(details[2]?.retryDelay).toBe('26s');

    const noDelay = await generateWithKey('quota-no-delay');
    expect(noDelay.status).toBe(429);
    expect((errorOf(noDelay).details ?? []).map((d) => d['@type'])).not.toContain(
      'type.googleapis.com/google.rpc.RetryInfo',
    );
  });

  it('fails N times with 503 (or 500) and then behaves as a valid key', async () => {
    fake.setKey('flaky', { unavailable: 2 });
    fake.setKey('broken', { internalError: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await generateWithKey('flaky')).status);
    expect(statuses).toEqual([503, 503, 200]);
    const first = await generateWithKey('broken');
    expect(first.status).toBe(500);
    expect(errorOf(first).status).toBe('INTERNAL');
    expect((await generateWithKey('broken')).status).toBe(200);
  });

  it('delays the response headers for a { delayMs } key', async () => {
    fake.setKey('slow', { delayMs: 150 });
    const started = Date.now();
    const reply = await generateWithKey('slow');
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('streaming framing', () => {
  const streamBody = {
    contents: [{ role: 'user', parts: [{ text: 'héllo wörld ✓ <tag> ok' }] }],
    generationConfig: { thinkingConfig: { includeThoughts: true } },
  };
  const SSE_PATH = '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';

  it('SSE with CRLF, split into tiny writes (mid-UTF-8, between CR and LF), reassembles', async () => {
    await withFake({ splitWrites: true }, async (f) => {
      const { res, chunks } = await readChunks(SSE_PATH, streamBody, f.url);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const parser = parseSse(chunks);
      expect(parser.rest()).toBe('');
      const events = parser.events;
      expectStreamInvariants(events);
      expect(partsOf(events[0])[0]?.thought).toBe(true);
      expect(answerText(events)).toBe('Echo: héllo wörld ✓ <tag> ok');

      expect(chunks.length).toBeGreaterThan(events.length * 2);
      expect(chunks.some((c) => c.at(-1) === 0x0d)).toBe(true);
      const cutsUtf8 = chunks.some((c) => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(c);
          return false;
        } catch {
          return true;
        }
      });
      expect(cutsUtf8).toBe(true);
      const raw = concat(chunks).toString('utf8');
      expect(raw.split('\r\n\r\n').filter((s) => s !== '')).toHaveLength(events.length);
      expect(raw).toContain('\\u003ctag\\u003e');
      expect(raw.startsWith('data: {"candidates": [')).toBe(true);
    });
  });

  it('SSE with LF line endings contains no CR and still parses', async () => {
    await withFake({ sseLineEnding: '\n', splitWrites: true }, async (f) => {
      const { chunks } = await readChunks(SSE_PATH, streamBody, f.url);
      const raw = concat(chunks);
      expect(raw.includes(0x0d)).toBe(false);
      const { events } = parseSse(chunks);
      expectStreamInvariants(events);
      expect(
        raw
          .toString('utf8')
          .split('\n\n')
          .filter((s) => s !== ''),
      ).toHaveLength(events.length);
    });
  });

  it('without alt (or alt=json) streams one JSON array', async () => {
    for (const suffix of ['', '?alt=json']) {
      const { res, chunks } = await readChunks(
        `/v1beta/models/gemini-2.5-flash:streamGenerateContent${suffix}`,
        streamBody,
      );
      expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      const raw = concat(chunks).toString('utf8');
      expect(raw.startsWith('[{')).toBe(true);
      expect(raw).toContain('\n,\r\n{');
      const events = JSON.parse(raw) as Chunk[];
      expect(Array.isArray(events)).toBe(true);
      expectStreamInvariants(events);
      expect(answerText(events)).toBe('Echo: héllo wörld ✓ <tag> ok');
    }
  });

  it('wraps an error before the stream in an array in array mode', async () => {
    fake.script(() => ({ kind: 'error', status: 503 }));
    const array = await call('/v1beta/models/gemini-2.5-flash:streamGenerateContent', {
      body: userText('x'),
    });
    expect(array.status).toBe(503);
    expect(array.json).toEqual([
      {
        error: {
          code: 503,
          message: 'The model is overloaded. Please try again later.',
          status: 'UNAVAILABLE',
        },
      },
    ]);
    const sse = await call(SSE_PATH, { body: userText('x') });
    expect(sse.status).toBe(503);
    expect(errorOf(sse).code).toBe(503);
  });

  it('ends a mid-stream error with raw pretty-printed JSON without a data: prefix', async () => {
    fake.script(() => ({ kind: 'midStreamError', afterChunks: 2 }));
    const { res, chunks } = await readChunks(SSE_PATH, userText('boom'));
    expect(res.status).toBe(200);
    const parser = parseSse(chunks);
    expect(parser.events).toHaveLength(2);
    expect(parser.events.every((e) => candidateOf(e).finishReason === undefined)).toBe(true);
    const tail = parser.rest();
    expect(tail.startsWith('{\n  "error": {\n    "code": 503,')).toBe(true);
    expect((JSON.parse(tail) as GeminiErrorBody).error.status).toBe('UNAVAILABLE');
  });

  it('cuts the connection without any finishReason', async () => {
    fake.script(() => ({ kind: 'cut', afterChunks: 1 }));
    const res = await fetch(`${fake.url}${SSE_PATH}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify(userText('cut me')),
    });
    const parser = createSseParser();
    const reader = res.body!.getReader();
    const read = async (): Promise<void> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.push(value);
      }
    };
    await expect(read()).rejects.toThrow();
    expect(parser.events).toHaveLength(1);
    expect(candidateOf(parser.events[0]).finishReason).toBeUndefined();
    expect(fake.requests[0]!.aborted).toBe(false);
  });

  it('spaces the events of a slow scenario', async () => {
    fake.script(() => ({ kind: 'slow', delayMs: 60, text: 'abcdef', chunks: 3 }));
    const started = Date.now();
    const { chunks } = await readChunks(SSE_PATH, userText('x'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(answerText(parseSse(chunks).events)).toBe('abcdef');
  });
});

describe('@google/genai against the fake', () => {
  const client = () =>
    new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });

  it('generateContent, generateContentStream and countTokens agree with each other', async () => {
    const ai = client();
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Why is the sky blue?',
    });
    expect(response.text).toBe('Echo: Why is the sky blue?');
    expect(response.usageMetadata?.thoughtsTokenCount).toBeGreaterThan(0);
    expect(response.responseId).toBeTruthy();

    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Stream me',
      config: { thinkingConfig: { thinkingBudget: 0 } },
    });
    let streamed = '';
    let finish: string | undefined;
    for await (const chunk of stream) {
      streamed += chunk.text ?? '';
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    expect(streamed).toBe('Echo: Stream me');
    expect(finish).toBe('STOP');

    const counted = await ai.models.countTokens({
      model: 'gemini-2.5-flash',
      contents: 'Why is the sky blue?',
    });
    expect(counted.totalTokens).toBe(response.usageMetadata?.promptTokenCount);
    expect(fake.requests.map((r) => r.action)).toEqual([
      'generateContent',
      'streamGenerateContent',
      'countTokens',
    ]);
    expect(fake.requests[1]!.query['alt']).toBe('sse');
  });

  it('embedContent (sent as batchEmbedContents) honours outputDimensionality', async () => {
    const ai = client();
    const small = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['first text', 'second text'],
      config: { outputDimensionality: 64 },
    });
    expect(small.embeddings).toHaveLength(2);
    expect(small.embeddings?.[0]?.values).toHaveLength(64);
    expect(small.embeddings?.[0]?.values).not.toEqual(small.embeddings?.[1]?.values);
    expect(fake.requests[0]!.action).toBe('batchEmbedContents');

    const full = await ai.models.embedContent({ model: 'text-embedding-004', contents: 'first text' });
    expect(full.embeddings?.[0]?.values).toHaveLength(768);
    const big = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'first text' });
    expect(big.embeddings?.[0]?.values).toHaveLength(3072);
    // Prefix-stable, like the real API's truncation.
    expect(big.embeddings?.[0]?.values?.slice(0, 64)).toEqual(small.embeddings?.[0]?.values);
  });

  it('surfaces a mid-stream error as an ApiError with status 503', async () => {
    fake.script(() => ({ kind: 'midStreamError', afterChunks: 1 }));
    const stream = await client().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'x' });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // drain until the error
      }
    };
    const error: unknown = await consume().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
  });
});

describe('request validation (the referee)', () => {
  it('accepts snake_case field names and answers in camelCase', async () => {
    const reply = await generate('gemini-2.5-flash', {
      contents: [{ role: 'user', parts: [{ text: 'snake' }] }],
      system_instruction: { parts: [{ text: 'be brief' }] },
      generation_config: { max_output_tokens: 100, thinking_config: { thinking_budget: 0 } },
      safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'OFF' }],
    });
    expect(reply.status).toBe(200);
    expect(reply.json.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(reply.json.usageMetadata).not.toHaveProperty('thoughtsTokenCount');
  });

  it('rejects unknown names at the top level and inside generationConfig', async () => {
    const reply = await generate('gemini-2.5-flash', {
      ...userText('x'),
      generationConfig: { foo: 1 },
      reasoning: 'high',
    });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).status).toBe('INVALID_ARGUMENT');
    expect(errorOf(reply).message).toBe(
      'Invalid JSON payload received. Unknown name "foo" at \'generation_config\': Cannot find field.\n' +
        'Invalid JSON payload received. Unknown name "reasoning": Cannot find field.',
    );
    expect(errorOf(reply).details?.[0]?.['fieldViolations']).toEqual([
      {
        field: 'generation_config',
        description:
          'Invalid JSON payload received. Unknown name "foo" at \'generation_config\': Cannot find field.',
      },
      { description: 'Invalid JSON payload received. Unknown name "reasoning": Cannot find field.' },
    ]);
    await withFake({ rejectUnknownFields: false }, async (f) => {
      const lenient = await generate('gemini-2.5-flash', { ...userText('x'), reasoning: 'high' }, f.url);
      expect(lenient.status).toBe(200);
    });
  });

  it('rejects JSON-Schema-only keywords and type arrays in responseSchema', async () => {
    const schemaReply = (schema: unknown) =>
      generate('gemini-2.5-flash', {
        ...userText('x'),
        generationConfig: { responseMimeType: 'application/json', responseSchema: schema },
      });
    const nested = await schemaReply({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'object', additionalProperties: false } },
    });
    expect(nested.status).toBe(400);
    expect(errorOf(nested).message).toBe(
      'Invalid JSON payload received. Unknown name "additionalProperties" at \'generation_config.response_schema.properties[1].value\': Cannot find field.',
    );
    const typeArray = await schemaReply({ type: ['string', 'null'] });
    expect(errorOf(typeArray).message).toContain('Proto field is not repeating, cannot start list.');
    const dollar = await schemaReply({ $schema: 'x', type: 'object', properties: { a: { const: 1 } } });
    expect(errorOf(dollar).message).toContain('Unknown name "$schema"');
    expect(errorOf(dollar).message).toContain('Unknown name "const"');
    const good = await schemaReply({
      type: 'object',
      properties: { a: { type: 'string', nullable: true } },
      required: ['a'],
    });
    expect(good.status).toBe(200);
    const both = await generate('gemini-2.5-flash', {
      ...userText('x'),
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: { type: 'STRING' },
        responseJsonSchema: { type: 'string' },
      },
    });
    expect(both.status).toBe(400);
  });

  it('checks contents, parts, roles and function declarations', async () => {
    expect(errorOf(await generate('gemini-2.5-flash', { contents: [] })).message).toBe(
      '* GenerateContentRequest.contents: contents is not specified\n',
    );
    const twoData = await generate('gemini-2.5-flash', {
      contents: [
        { role: 'user', parts: [{ text: 'a', inlineData: { mimeType: 'image/png', data: 'AAAA' } }] },
      ],
    });
    expect(errorOf(twoData).message).toContain("Oneof field 'data' is already set. Cannot set 'inlineData'");
    const noData = await generate('gemini-2.5-flash', {
      contents: [{ role: 'user', parts: [{ text: '' }] }],
    });
    expect(errorOf(noData).message).toBe(
      "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n",
    );
    const role = await generate('gemini-2.5-flash', {
      contents: [{ role: 'assistant', parts: [{ text: 'a' }] }],
    });
    expect(errorOf(role).message).toBe('Please use a valid role: user, model.');
    const dataUrl = await generate('gemini-2.5-flash', {
      contents: [
        {
          role: 'user',
          parts: [{ inlineData: { mimeType: 'image/png', data: 'data:image/png;base64,AAAA' } }],
        },
      ],
    });
    expect(errorOf(dataUrl).message).toContain('Base64 decoding failed');
    const declarations = await generate('gemini-2.5-flash', {
      ...userText('x'),
      tools: [
        {
          functionDeclarations: [
            { name: 'f', parameters: { type: 'OBJECT' }, parametersJsonSchema: { type: 'object' } },
          ],
        },
      ],
    });
    expect(declarations.status).toBe(400);
    const responseArray = await generate('gemini-2.5-flash', {
      contents: [
        { role: 'user', parts: [{ text: 'call f' }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: [1, 2] } }] },
      ],
    });
    expect(errorOf(responseArray).message).toBe(
      'Invalid JSON payload received. Unknown name "response" at \'contents[2].parts[0].function_response\': Proto field is not repeating, cannot start list.',
    );
  });

  it('enforces the thinking rules of each model family', async () => {
    const thinking = (model: string, thinkingConfig: unknown) =>
      generate(model, { ...userText('x'), generationConfig: { thinkingConfig } });
    const message = async (model: string, thinkingConfig: unknown) =>
      errorOf(await thinking(model, thinkingConfig)).message;
    expect(await message('gemini-2.5-flash', { thinkingLevel: 'LOW' })).toBe(
      'Thinking level is not supported for this model.',
    );
    expect(await message('gemini-3-flash-preview', { thinkingLevel: 'LOW', thinkingBudget: 100 })).toBe(
      'You can only set only one of thinking budget and thinking level.',
    );
    expect(await message('gemini-2.5-pro', { thinkingBudget: 0 })).toBe(
      'Budget 0 is invalid. This model only works in thinking mode.',
    );
    expect(await message('gemini-2.5-pro', { thinkingBudget: 64 })).toBe(
      'The thinking budget 64 is invalid. Please choose a value between 128 and 32768.',
    );
    expect((await thinking('gemini-2.5-flash', { thinkingBudget: 30000 })).status).toBe(400);
    expect((await thinking('gemini-2.5-flash-lite', { thinkingBudget: 256 })).status).toBe(400);
    expect((await thinking('gemini-2.5-flash-lite', { thinkingBudget: 0 })).status).toBe(200);
    expect((await thinking('gemini-2.5-pro', { thinkingBudget: -1 })).status).toBe(200);
    expect((await thinking('gemini-2.0-flash', { thinkingBudget: 1024 })).status).toBe(400);
    expect((await thinking('gemini-3-pro-preview', { thinkingLevel: 'minimal' })).status).toBe(400);
    expect((await thinking('gemini-3-flash-preview', { thinkingLevel: 'minimal' })).status).toBe(200);
  });

  it('limits candidateCount and systemInstruction per model', async () => {
    const multi = (model: string) =>
      generate(model, { ...userText('x'), generationConfig: { candidateCount: 2 } });
    const gemini3 = await multi('gemini-3-pro-preview');
    expect(gemini3.status).toBe(400);
    expect(errorOf(gemini3).message).toBe('Multiple candidates is not enabled for this model');
    expect((await multi('gemini-2.5-flash-image')).status).toBe(400);
    const flash = await multi('gemini-2.5-flash');
    expect(flash.status).toBe(200);
    expect(flash.json.candidates?.map((c) => c.index)).toEqual([0, 1]);
    expect(partsOf(flash.json, 1).at(-1)?.text).not.toBe(partsOf(flash.json, 0).at(-1)?.text);

    const system = await generate('gemini-2.0-flash-exp-image-generation', {
      ...userText('draw'),
      systemInstruction: { parts: [{ text: 'be nice' }] },
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
    });
    expect(system.status).toBe(400);
    expect(errorOf(system).message).toBe(
      'Developer instruction is not enabled for models/gemini-2.0-flash-exp-image-generation',
    );
  });

  it('refuses penalties and logprobs where the model has them disabled (2.5 and later)', async () => {
    const withConfig = (model: string, generationConfig: object) =>
      generate(model, { ...userText('x'), generationConfig });
    const penalty = await withConfig('gemini-2.5-pro', { presencePenalty: 0.5 });
    expect(penalty.status).toBe(400);
    expect(errorOf(penalty).message).toBe('Penalty is not enabled for models/gemini-2.5-pro');
    expect((await withConfig('gemini-3-flash-preview', { frequencyPenalty: -0.2 })).status).toBe(400);
    // proto3 cannot tell 0 from unset: a zero penalty passes everywhere.
    expect((await withConfig('gemini-2.5-flash', { presencePenalty: 0, frequencyPenalty: 0 })).status).toBe(
      200,
    );
    expect(
      (await withConfig('gemini-2.0-flash', { presencePenalty: 0.5, frequencyPenalty: 0.5 })).status,
    ).toBe(200);
    const logprobs = await withConfig('gemini-2.5-flash', { responseLogprobs: true, logprobs: 3 });
    expect(logprobs.status).toBe(400);
    expect(errorOf(logprobs).message).toBe('Logprobs is not enabled for models/gemini-2.5-flash');
    expect((await withConfig('gemini-2.0-flash', { responseLogprobs: true })).status).toBe(200);
  });

  it('refuses a function call turn that follows no user or function-response turn', async () => {
    const call = { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] };
    const answer = { role: 'user', parts: [{ functionResponse: { name: 'f', response: { output: 'ok' } } }] };
    const opening = await generate('gemini-2.5-flash', { contents: [call, answer] });
    expect(opening.status).toBe(400);
    expect(errorOf(opening).message).toBe(
      'Please ensure that function call turn comes immediately after a user turn or after a function response turn.',
    );
    const afterModel = {
      contents: [userText('x').contents[0], { role: 'model', parts: [{ text: 'hm' }] }, call, answer],
    };
    expect((await generate('gemini-2.5-flash', afterModel)).status).toBe(400);
    const opened = { contents: [{ role: 'user', parts: [{ text: ' ' }] }, call, answer] };
    expect((await generate('gemini-2.5-flash', opened)).status).toBe(200);
  });

  it('requires thought signatures on Gemini 3 function calls of the current turn', async () => {
    const history = (signature?: string) => ({
      contents: [
        { role: 'user', parts: [{ text: 'weather?' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_weather', args: { city: 'Paris' } },
              ...(signature === undefined ? {} : { thoughtSignature: signature }),
            },
          ],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' } } }],
        },
      ],
    });
    const missing = await generate('gemini-3-pro-preview', history());
    expect(missing.status).toBe(400);
    expect(errorOf(missing).message).toContain(
      'Function call is missing a thought_signature in functionCall parts.',
    );
    expect(errorOf(missing).message).toContain('`default_api:get_weather` , position 2.');
    expect((await generate('gemini-3-pro-preview', history('skip_thought_signature_validator'))).status).toBe(
      200,
    );
    expect((await generate('gemini-2.5-flash', history())).status).toBe(200);
    const olderTurn = {
      contents: [
        ...history().contents,
        { role: 'model', parts: [{ text: 'sunny' }] },
        { role: 'user', parts: [{ text: 'thanks' }] },
      ],
    };
    expect((await generate('gemini-3-pro-preview', olderTurn)).status).toBe(200);
    await withFake({ enforceThoughtSignatures: false }, async (f) => {
      expect((await generate('gemini-3-pro-preview', history(), f.url)).status).toBe(200);
    });
  });

  it('checks embedding batches: at most 100, and the model of every request', async () => {
    const request = (model: string) => ({ model, content: { parts: [{ text: 'a' }] } });
    const tooMany = await call('/v1beta/models/gemini-embedding-001:batchEmbedContents', {
      body: { requests: Array.from({ length: 101 }, () => request('models/gemini-embedding-001')) },
    });
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany).message).toBe(
      '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n',
    );
    const mismatch = await call('/v1beta/models/gemini-embedding-001:batchEmbedContents', {
      body: { requests: [request('models/gemini-embedding-001'), request('models/text-embedding-004')] },
    });
    expect(mismatch.status).toBe(400);
    expect(errorOf(mismatch).message).toContain('requests[1].model');
    const single = await call('/v1beta/models/text-embedding-004:embedContent', {
      body: {
        content: { parts: [{ text: 'hello' }] },
        task_type: 'retrieval_query',
        output_dimensionality: 10,
      },
    });
    expect(single.json.embedding?.values).toHaveLength(10);
  });

  it('counts tokens in both request forms', async () => {
    const plain = await call('/v1beta/models/gemini-2.5-flash:countTokens', {
      body: userText('hello there, counting'),
    });
    const nested = await call('/v1beta/models/gemini-2.5-flash:countTokens', {
      body: {
        generateContentRequest: {
          model: 'models/gemini-2.5-flash',
          ...userText('hello there, counting'),
          systemInstruction: { parts: [{ text: 'be brief and kind' }] },
        },
      },
    });
    const plainTotal = must(plain.json.totalTokens, 'totalTokens');
    expect(plainTotal).toBeGreaterThan(0);
    expect(nested.json.totalTokens).toBeGreaterThan(plainTotal);
    expect(plain.json.promptTokensDetails?.[0]).toEqual({ modality: 'TEXT', tokenCount: plainTotal });
  });
});

/** Walks PNG chunks and checks each CRC with zlib's own crc32 (independent of the fake's). */
function checkPng(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const types: string[] = [];
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('ascii');
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(
      crc32(bytes.subarray(offset + 4, offset + 8 + length)),
    );
    types.push(type);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  expect(types).toContain('IDAT');
  const ihdr = must(header, 'an IHDR chunk');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect(ihdr[8]).toBe(8); // bit depth
  expect(ihdr[9]).toBe(2); // RGB
  const pixels = inflateSync(Buffer.concat(idat));
  expect(pixels.length).toBe(height * (1 + width * 3));
  return { width, height, pixels };
}

const inlineImages = (parts: GeminiPart[]) => parts.flatMap((p) => (p.inlineData ? [p.inlineData] : []));

describe('scenarios', () => {
  it('image: real PNGs with valid chunk structure and CRCs, different per index', async () => {
    fake.script(() => ({ kind: 'image', images: 2, text: 'Two cats' }));
    const reply = await generate('gemini-2.5-flash-image', {
      ...userText('two cats'),
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
    });
    const parts = partsOf(reply.json);
    expect(parts[0]?.text).toBe('Two cats');
    const images = inlineImages(parts);
    expect(images).toHaveLength(2);
    const decoded = images.map((image) => {
      expect(image.mimeType).toBe('image/png');
      return checkPng(Buffer.from(image.data, 'base64'));
    });
    expect(decoded[0]?.pixels).not.toEqual(decoded[1]?.pixels);
    expect(reply.json.usageMetadata?.candidatesTokensDetails?.map((d) => d.modality)).toEqual([
      'IMAGE',
      'TEXT',
    ]);
  });

  it('image: JPEG output is a well-formed JFIF stream', async () => {
    fake.script(() => ({ kind: 'image', images: 1, text: '', mimeType: 'image/jpeg' }));
    const reply = await generate('gemini-3-pro-image-preview', userText('a cat'));
    const images = inlineImages(partsOf(reply.json));
    expect(partsOf(reply.json)).toHaveLength(1);
    const jpeg = Buffer.from(must(images[0], 'an image').data, 'base64');
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    const markers: number[] = [];
    let offset = 2;
    while (jpeg[offset] === 0xff && jpeg[offset + 1] !== 0xda) {
      markers.push(jpeg[offset + 1]!);
      offset += 2 + jpeg.readUInt16BE(offset + 2);
    }
    expect(markers).toEqual([0xe0, 0xfe, 0xdb, 0xc0, 0xc4, 0xc4]);
  });

  it('default answer of an image model includes an image part when IMAGE is asked for', async () => {
    const ask = (model: string, responseModalities: string[]) =>
      generate(model, { ...userText('a dog'), generationConfig: { responseModalities } });
    const both = await ask('gemini-2.5-flash-image', ['TEXT', 'IMAGE']);
    const parts = partsOf(both.json);
    expect(parts[0]?.text).toBe('Echo: a dog');
    checkPng(Buffer.from(must(parts[1]?.inlineData, 'an image part').data, 'base64'));
    const imageOnly = await ask('gemini-2.5-flash-image', ['IMAGE']);
    expect(partsOf(imageOnly.json).map((p) => Object.keys(p))).toEqual([['inlineData']]);
    expect((await ask('gemini-2.5-flash', ['TEXT', 'IMAGE'])).status).toBe(400);
  });

  it('parallel function calls: signature only on the first, finishMessage, one stream chunk', async () => {
    fake.script(() => ({
      kind: 'functionCalls',
      calls: [
        { name: 'get_weather', args: { city: 'Paris' } },
        { name: 'get_weather', args: { city: 'Rome' } },
      ],
    }));
    const { chunks } = await readChunks('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', {
      ...userText('weather in Paris and Rome?'),
      tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object' } }] }],
    });
    const last = parseSse(chunks).events.at(-1);
    const calls = partsOf(last).filter((p) => p.functionCall);
    expect(calls.map((p) => p.functionCall?.args?.['city'])).toEqual(['Paris', 'Rome']);
    expect(typeof calls[0]?.thoughtSignature).toBe('string');
    expect(calls[1]).not.toHaveProperty('thoughtSignature');
    expect(candidateOf(last).finishReason).toBe('STOP');
    expect(candidateOf(last).finishMessage).toBe('Model generated function call(s).');

    fake.script(() => ({ kind: 'functionCalls', calls: [{ name: 'f', args: {} }], signature: null }));
    const unsigned = await generate('gemini-2.5-flash', userText('x'));
    expect(partsOf(unsigned.json)[0]).not.toHaveProperty('thoughtSignature');
  });

  it('Gemini 3 signs text answers: a trailing empty signed part when streaming', async () => {
    const { chunks } = await readChunks(
      '/v1beta/models/gemini-3-flash-preview:streamGenerateContent?alt=sse',
      userText('hi'),
    );
    const lastPart = partsOf(parseSse(chunks).events.at(-1)).at(-1);
    expect(lastPart?.text).toBe('');
    expect(typeof lastPart?.thoughtSignature).toBe('string');
    const unary = await generate('gemini-3-flash-preview', userText('hi'));
    expect(partsOf(unary.json)[0]?.thoughtSignature).toBeTruthy();
    expect(partsOf(unary.json)[0]?.text).toBe('Echo: hi');
  });

  it('blocked prompt, SAFETY mid-stream, MAX_TOKENS with empty content, empty answer', async () => {
    fake.script(() => ({ kind: 'blocked', blockReason: 'SAFETY' }));
    const blocked = await generate('gemini-2.5-flash', userText('x'));
    expect(blocked.status).toBe(200);
    expect(blocked.json).not.toHaveProperty('candidates');
    expect(blocked.json.promptFeedback?.blockReason).toBe('SAFETY');

    fake.script(() => ({ kind: 'safetyMidStream' }));
    const { chunks } = await readChunks(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      userText('bad'),
    );
    const { events } = parseSse(chunks);
    expect(answerText(events)).toBe('Echo: bad');
    expect(candidateOf(events.at(-1)).finishReason).toBe('SAFETY');

    fake.script(() => ({ kind: 'maxTokensEmpty' }));
    const maxed = await generate('gemini-2.5-pro', userText('x'));
    expect(candidateOf(maxed.json)).toMatchObject({ content: { role: 'model' }, finishReason: 'MAX_TOKENS' });
    expect(candidateOf(maxed.json).content).not.toHaveProperty('parts');
    expect(maxed.json.usageMetadata?.thoughtsTokenCount).toBeGreaterThan(0);
    expect(maxed.json.usageMetadata).not.toHaveProperty('candidatesTokenCount');

    fake.script(() => ({ kind: 'empty' }));
    const empty = await generate('gemini-2.5-flash', userText('x'));
    expect(candidateOf(empty.json).finishReason).toBe('STOP');
    expect(partsOf(empty.json)).toHaveLength(0);
  });

  it('error and raw scenarios answer exactly what was scripted', async () => {
    fake.script((r) => (r.model === 'gemini-2.5-pro' ? { kind: 'error', status: 404 } : undefined));
    const notFound = await generate('gemini-2.5-pro', userText('x'));
    expect(notFound.status).toBe(404);
    expect(errorOf(notFound).message).toContain('models/gemini-2.5-pro is not found for API version v1beta');
    expect((await generate('gemini-2.5-flash', userText('x'))).status).toBe(200);

    fake.script(() => ({
      kind: 'raw',
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html>bad gateway</html>',
    }));
    const raw = await generate('gemini-2.5-flash', userText('x'));
    expect(raw.status).toBe(502);
    expect(raw.text).toBe('<html>bad gateway</html>');
    expect(raw.headers.get('content-type')).toBe('text/html');

    // Content scenarios leave other endpoints alone; transport scenarios apply to them too.
    fake.script(() => ({ kind: 'text', text: 'only for generation' }));
    expect((await call('/v1beta/models')).json.models).toHaveLength(FIXTURE.models.length);
    fake.script((r) => (r.action === undefined ? { kind: 'error', status: 500 } : undefined));
    const listFailure = await call('/v1beta/models');
    expect(listFailure.status).toBe(500);
    expect(errorOf(listFailure).status).toBe('INTERNAL');
  });

  it('hang + client abort marks the recorded request as aborted', async () => {
    fake.script(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const pending = fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify(userText('wait forever')),
      signal: controller.signal,
    });
    const recorded = await fake.waitFor((r) => r.action === 'generateContent');
    expect(recorded.aborted).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(recorded.aborted).toBe(true));
    expect(recorded.abortedAt).toBeGreaterThanOrEqual(recorded.receivedAt);
  });

  it('records requests, resolves waitFor for later requests, and reset clears requests and script', async () => {
    fake.script(() => ({ kind: 'text', text: 'scripted' }));
    const later = fake.waitFor((r) => r.model === 'gemini-2.0-flash');
    const reply = await generate('gemini-2.0-flash', userText('hello'));
    expect(partsOf(reply.json)[0]?.text).toBe('scripted');
    const recorded = await later;
    expect(recorded).toMatchObject({ method: 'POST', action: 'generateContent', key: KEY, aborted: false });
    expect(recorded.body).toEqual(userText('hello'));
    expect(JSON.parse(recorded.rawBody)).toEqual(userText('hello'));
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    const unscripted = await generate('gemini-2.0-flash', userText('hello'));
    expect(partsOf(unscripted.json)[0]?.text).toBe('Echo: hello');
    await expect(fake.waitFor((r) => r.model === 'never', 50)).rejects.toThrow(/no matching request/);
  });
});
