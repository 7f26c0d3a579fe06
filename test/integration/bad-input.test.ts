/**
 * Every kind of bad input a client can send to POST /v1/chat/completions gets a clear 4xx in OpenAI's
 * error shape (wire-format §3.6), is rejected before any upstream call when the gateway can tell on
 * its own, and leaves the server running. Real gateway, real sockets, the fake Gemini upstream.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini } from '../fakes/fake-gemini';
import type { FakeGemini } from '../fakes/fake-gemini';
import { startGateway } from '../support/gateway';
import type { TestGateway } from '../support/gateway';

const MODEL = 'gemini-2.5-flash';
const CHAT = '/v1/chat/completions';
/** A hundred requests in a few seconds: the rate limiter would answer most of them with a 429. */
const NO_RATE_LIMITS = { maxRequestsPerMinute: 0, maxRequestsPerDayPerIp: 0 };

interface Reply {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

interface SendOptions {
  method?: string;
  path?: string;
  /** Sent verbatim; a non-string is JSON.stringify-ed. Omitted: no body at all. */
  body?: unknown;
  /** Default `application/json`; null sends no Content-Type header. */
  contentType?: string | null;
}

async function send(base: string, options: SendOptions): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${password}` };
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || options.body instanceof Uint8Array
        ? options.body
        : JSON.stringify(options.body);
  const res = await fetch(`${base}${options.path ?? CHAT}`, {
    method: options.method ?? 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** Asserts OpenAI's exact error envelope and returns its `error`. */
function errorOf(reply: Reply): OpenAIError {
  expect(reply.contentType, reply.text).toMatch(/^application\/json/);
  expect(reply.json, reply.text).toEqual({
    error: {
      message: expect.any(String) as unknown,
      type: expect.any(String) as unknown,
      param: expect.toSatisfy((p: unknown) => p === null || typeof p === 'string') as unknown,
      code: expect.toSatisfy((c: unknown) => c === null || typeof c === 'string') as unknown,
    },
  });
  const { error } = reply.json as { error: OpenAIError };
  expect(error.message.trim(), reply.text).not.toBe('');
  return error;
}

// ------------------------------------------------------------------------------------------------
// Request builders

const user = (content: unknown) => ({ role: 'user', content });
const chat = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [user('Hello')],
  ...extra,
});
const withMessages = (...messages: unknown[]) => chat({ messages });
const withParts = (...parts: unknown[]) => withMessages(user(parts));
const image = (url: string) => ({ type: 'image_url', image_url: { url } });
const tool = (name: string, parameters?: unknown) => ({
  type: 'function',
  function: { name, ...(parameters === undefined ? {} : { parameters }) },
});
const callHistory = (args: string) =>
  withMessages(
    user('Weather in Paris?'),
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: args } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":18}' },
  );
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

// ------------------------------------------------------------------------------------------------
// The table

interface Row extends SendOptions {
  name: string;
  status: number | readonly number[];
  code: string | readonly string[];
  /** Every error here is an `invalid_request_error` unless a row says otherwise. */
  type?: string;
  /** Asserted when present (null included); omitted where it carries no meaning. */
  param?: string | null;
  /** Must name the problem, not just say "bad request". */
  message: RegExp;
  /** Only the gateway cannot tell (unknown model): the upstream is asked. Default: rejected locally. */
  forwarded?: boolean;
}

const INVALID_JSON = { status: 400, code: 'invalid_json', param: null, message: /not valid JSON/ } as const;
const NOT_OBJECT = {
  status: 400,
  code: 'invalid_request',
  param: null,
  message: /must be a JSON object/,
} as const;
const BAD_MODEL_ID = {
  status: 400,
  code: 'invalid_request',
  param: 'model',
  message: /Invalid model id/,
} as const;
const invalid = (param: string, message: RegExp) =>
  ({ status: 400, code: 'invalid_request', param, message }) as const;
const badDataUrl = {
  status: 400,
  code: 'invalid_image_url',
  param: 'messages[0].content[0]',
  message: /data URL/,
} as const;

const rows: Row[] = [
  // Not JSON, or not a JSON object
  { name: 'truncated JSON', body: '{"model": "gemini-2.5-flash", "messa', ...INVALID_JSON },
  { name: 'trailing garbage after JSON', body: `${JSON.stringify(chat())} garbage`, ...INVALID_JSON },
  { name: 'single-quoted JSON', body: "{'model': 'gemini-2.5-flash'}", ...INVALID_JSON },
  { name: 'unquoted keys', body: '{model: "gemini-2.5-flash"}', ...INVALID_JSON },
  { name: 'NaN literal', body: '{"model": "gemini-2.5-flash", "temperature": NaN}', ...INVALID_JSON },
  { name: 'empty body', body: '', status: 400, code: 'invalid_json', param: null, message: /empty/ },
  { name: 'body is an array', body: '[]', ...NOT_OBJECT },
  { name: 'body is a string', body: '"hello"', ...NOT_OBJECT },
  { name: 'body is a number', body: '42', ...NOT_OBJECT },
  { name: 'body is null', body: 'null', ...NOT_OBJECT },
  { name: 'body is true', body: 'true', ...NOT_OBJECT },
  { name: 'no body and no Content-Type', contentType: null, ...NOT_OBJECT },

  // Wrong content type
  {
    name: 'text/plain with a JSON text',
    body: JSON.stringify(chat()),
    contentType: 'text/plain',
    status: [400, 415],
    code: ['invalid_request', 'unsupported_media_type'],
    param: null,
    message: /application\/json/,
  },
  {
    name: 'form-urlencoded',
    body: 'model=gemini-2.5-flash&messages=hi',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
    param: null,
    message: /Content-Type/,
  },
  {
    name: 'multipart/form-data',
    body: '--x\r\nContent-Disposition: form-data; name="model"\r\n\r\nm\r\n--x--\r\n',
    contentType: 'multipart/form-data; boundary=x',
    status: 415,
    code: 'unsupported_media_type',
    param: null,
    message: /Content-Type/,
  },

  // model
  { name: 'missing model', body: { messages: [user('Hi')] }, ...invalid('model', /model.*expected string/) },
  { name: 'empty model', body: chat({ model: '' }), ...invalid('model', /model is required/) },
  { name: 'model is a number', body: chat({ model: 7 }), ...invalid('model', /expected string/) },
  { name: 'model "../x"', body: chat({ model: '../x' }), ...BAD_MODEL_ID },
  { name: 'model "models/../x"', body: chat({ model: 'models/../x' }), ...BAD_MODEL_ID },
  { name: 'model "a..b"', body: chat({ model: 'a..b' }), ...BAD_MODEL_ID },
  { name: 'model "a/b"', body: chat({ model: 'a/b' }), ...BAD_MODEL_ID },
  { name: 'model "a:b"', body: chat({ model: 'a:b' }), ...BAD_MODEL_ID },
  { name: 'model "a?b"', body: chat({ model: 'a?b' }), ...BAD_MODEL_ID },
  { name: 'model "a#b"', body: chat({ model: 'a#b' }), ...BAD_MODEL_ID },
  { name: 'model "a b"', body: chat({ model: 'a b' }), ...BAD_MODEL_ID },
  { name: 'model "%2e%2e"', body: chat({ model: '%2e%2e' }), ...BAD_MODEL_ID },
  { name: 'model of 200 characters', body: chat({ model: 'g'.repeat(200) }), ...BAD_MODEL_ID },

  // messages
  { name: 'missing messages', body: { model: MODEL }, ...invalid('messages', /expected array/) },
  { name: 'empty messages', body: withMessages(), ...invalid('messages', /at least one message/) },
  { name: 'messages is an object', body: chat({ messages: {} }), ...invalid('messages', /expected array/) },
  { name: 'messages is a string', body: chat({ messages: 'hi' }), ...invalid('messages', /expected array/) },
  { name: 'message is a string', body: withMessages('hi'), ...invalid('messages[0]', /expected object/) },
  { name: 'message is null', body: withMessages(null), ...invalid('messages[0]', /expected object/) },
  {
    name: 'unknown role',
    body: withMessages({ role: 'wizard', content: 'x' }),
    ...invalid('messages[0].role', /Expected 'system'.*'user'/),
  },
  {
    name: 'missing content',
    body: withMessages({ role: 'user' }),
    ...invalid('messages[0].content', /expected string or array, received undefined/),
  },
  {
    name: 'content is a number',
    body: withMessages(user(5)),
    ...invalid('messages[0].content', /expected string or array, received number/),
  },
  {
    name: 'content is an object',
    body: withMessages(user({ text: 'hi' })),
    ...invalid('messages[0].content', /expected string or array, received object/),
  },
  {
    name: 'system content with an image part',
    body: withMessages({ role: 'system', content: [image('data:image/png;base64,AAAA')] }),
    ...invalid('messages[0].content[0].type', /expected "text"/),
  },
  {
    name: 'tool message without tool_call_id',
    body: withMessages(user('x'), { role: 'tool', content: 'x' }),
    ...invalid('messages[1].tool_call_id', /expected string/),
  },

  // content parts
  {
    name: 'unknown content part type',
    body: withParts({ type: 'video', video: 'x' }),
    ...invalid('messages[0].content[0].type', /Expected 'text' \| 'image_url'/),
  },
  {
    name: 'text part without text',
    body: withParts({ type: 'text' }),
    ...invalid('messages[0].content[0].text', /expected string/),
  },
  {
    name: 'image_url without url',
    body: withParts({ type: 'image_url', image_url: {} }),
    ...invalid('messages[0].content[0].image_url.url', /expected string, received undefined/),
  },
  {
    name: 'image_url part without image_url',
    body: withParts({ type: 'image_url' }),
    ...invalid('messages[0].content[0].image_url', /expected object or string/),
  },
  {
    name: 'data URL that is not base64',
    body: withParts(image('data:image/png;base64,@@@@')),
    ...badDataUrl,
  },
  { name: 'data URL without ;base64', body: withParts(image('data:image/png,AAAA')), ...badDataUrl },
  { name: 'data URL "data:"', body: withParts(image('data:')), ...badDataUrl },
  { name: 'data URL with no payload', body: withParts(image('data:image/png;base64,')), ...badDataUrl },
  { name: 'data URL without a MIME type', body: withParts(image('data:;base64,AAAA')), ...badDataUrl },
  {
    name: 'image URL with another scheme',
    body: withParts(image('file:///etc/passwd')),
    status: 400,
    code: 'invalid_image_url',
    param: 'messages[0].content[0]',
    message: /http\(s\) or data: URLs/,
  },
  {
    name: 'image URL on a private address',
    body: withParts(image('http://127.0.0.1:1/a.png')),
    status: 400,
    code: 'invalid_image_url',
    message: /private or reserved address/,
  },
  {
    name: 'file part with file_id',
    body: withParts({ type: 'file', file: { file_id: 'file-abc' } }),
    status: 400,
    code: 'unsupported_parameter',
    param: 'messages[0].content[0].file.file_id',
    message: /file_id.*not supported/,
  },
  {
    name: 'input_audio in an unknown format',
    body: withParts({ type: 'input_audio', input_audio: { data: 'AAAA', format: 'ogg' } }),
    ...invalid('messages[0].content[0].input_audio.format', /use wav or mp3/),
  },

  // numeric and boolean fields
  {
    name: 'temperature "hot"',
    body: chat({ temperature: 'hot' }),
    ...invalid('temperature', /expected number/),
  },
  { name: 'temperature 3', body: chat({ temperature: 3 }), ...invalid('temperature', /<=2/) },
  { name: 'temperature -0.5', body: chat({ temperature: -0.5 }), ...invalid('temperature', />=0/) },
  {
    name: 'temperature 1e309 (Infinity once parsed)',
    body: `{"model":"${MODEL}","messages":[{"role":"user","content":"Hi"}],"temperature":1e309}`,
    ...invalid('temperature', /received Infinity/),
  },
  { name: 'top_p 2', body: chat({ top_p: 2 }), ...invalid('top_p', /<=1/) },
  { name: 'top_k -2', body: chat({ top_k: -2 }), ...invalid('top_k', />=-1/) },
  { name: 'top_k 2.5', body: chat({ top_k: 2.5 }), ...invalid('top_k', /expected int/) },
  { name: 'n 0', body: chat({ n: 0 }), ...invalid('n', />=1/) },
  { name: 'n 1.5', body: chat({ n: 1.5 }), ...invalid('n', /expected int/) },
  { name: 'n "2"', body: chat({ n: '2' }), ...invalid('n', /expected number/) },
  { name: 'max_tokens -1', body: chat({ max_tokens: -1 }), ...invalid('max_tokens', />=1/) },
  { name: 'max_tokens 0', body: chat({ max_tokens: 0 }), ...invalid('max_tokens', />=1/) },
  {
    name: 'max_completion_tokens "100"',
    body: chat({ max_completion_tokens: '100' }),
    ...invalid('max_completion_tokens', /expected number/),
  },
  {
    name: 'presence_penalty 3',
    body: chat({ presence_penalty: 3 }),
    ...invalid('presence_penalty', /<=2/),
  },
  {
    name: 'frequency_penalty "high"',
    body: chat({ frequency_penalty: 'high' }),
    ...invalid('frequency_penalty', /expected number/),
  },
  { name: 'seed 1.5', body: chat({ seed: 1.5 }), ...invalid('seed', /expected int/) },
  { name: 'top_logprobs 21', body: chat({ top_logprobs: 21 }), ...invalid('top_logprobs', /<=20/) },
  { name: 'stream "yes"', body: chat({ stream: 'yes' }), ...invalid('stream', /expected boolean/) },
  {
    name: 'stop with 17 sequences',
    body: chat({ stop: Array.from({ length: 17 }, (_, i) => `s${i}`) }),
    ...invalid('stop', /<=16/),
  },
  {
    name: 'reasoning_effort "extreme"',
    body: chat({ reasoning_effort: 'extreme' }),
    ...invalid('reasoning_effort', /expected one of/),
  },
  {
    name: 'response_format of an unknown type',
    body: chat({ response_format: { type: 'yaml' } }),
    ...invalid('response_format.type', /Expected 'text'/),
  },

  // tools
  {
    name: 'tool name with a space',
    body: chat({ tools: [tool('get weather')] }),
    ...invalid('tools[0].function.name', /must start with a letter/),
  },
  {
    name: 'tool name starting with a digit',
    body: chat({ tools: [tool('1st')] }),
    ...invalid('tools[0].function.name', /must start with a letter/),
  },
  {
    name: 'tool name of 129 characters',
    body: chat({ tools: [tool(`f${'x'.repeat(128)}`)] }),
    ...invalid('tools[0].function.name', /max 128/),
  },
  {
    name: 'tool parameters as an array',
    body: chat({ tools: [tool('f', [{ type: 'string' }])] }),
    ...invalid('tools[0].function.parameters', /expected record, received array/),
  },
  {
    name: 'tool parameters as a string',
    body: chat({ tools: [tool('f', 'object')] }),
    ...invalid('tools[0].function.parameters', /expected record, received string/),
  },
  {
    name: 'tool of type "retrieval"',
    body: chat({ tools: [{ type: 'retrieval', function: { name: 'f' } }] }),
    ...invalid('tools[0].type', /expected "function"/),
  },
  {
    name: 'tool_choice naming an undeclared function',
    body: chat({ tools: [tool('f')], tool_choice: { type: 'function', function: { name: 'g' } } }),
    ...invalid('tool_choice', /"g".*not among the declared tools/),
  },
  {
    name: 'tool_choice "required" without tools',
    body: chat({ tool_choice: 'required' }),
    ...invalid('tool_choice', /at least one tool/),
  },
  {
    name: 'tool_choice "sometimes"',
    body: chat({ tool_choice: 'sometimes' }),
    ...invalid('tool_choice', /expected one of "none"\|"auto"\|"required"/),
  },
  {
    name: 'tool_choice function without a name',
    body: chat({ tools: [tool('f')], tool_choice: { type: 'function', function: {} } }),
    ...invalid('tool_choice.function.name', /expected string/),
  },
  {
    name: 'tool message with an unknown tool_call_id',
    body: withMessages(user('Hi'), { role: 'tool', tool_call_id: 'call_nope', content: '1' }),
    ...invalid('messages[1].tool_call_id', /"call_nope" does not match a tool call/),
  },
  {
    name: 'tool call arguments that are not JSON',
    body: callHistory('{"city": Paris}'),
    ...invalid('messages[1].tool_calls[0].function.arguments', /not valid JSON/),
  },
  {
    name: 'tool call arguments that are a JSON array',
    body: callHistory('["Paris"]'),
    ...invalid('messages[1].tool_calls[0].function.arguments', /must be a JSON object/),
  },
  {
    name: 'tool call arguments nested 10,000 deep',
    body: callHistory(`{"a":${nested(10_000)}}`),
    ...invalid('messages[1].tool_calls[0].function.arguments', /deeper than/),
  },

  // What the model cannot do
  {
    name: 'n 3 on a Gemini 3 model',
    body: chat({ model: 'gemini-3-pro-preview', n: 3 }),
    status: 400,
    code: 'unsupported_parameter',
    param: 'n',
    message: /n > 1 is not supported/,
  },

  // Only the upstream knows the model list
  {
    name: 'unknown model (forwarded)',
    body: chat({ model: 'gemini-9-ultra' }),
    status: 404,
    code: 'model_not_found',
    message: /gemini-9-ultra.*not found/,
    forwarded: true,
  },

  // Routes and methods
  {
    name: 'unknown route',
    path: '/v1/chat/complete',
    body: chat(),
    status: 404,
    code: 'not_found',
    param: null,
    message: /Unknown route: POST \/v1\/chat\/complete/,
  },
  {
    name: 'GET /v1/chat/completions',
    method: 'GET',
    contentType: null,
    status: [404, 405],
    code: ['not_found', 'method_not_allowed'],
    param: null,
    message: /GET \/v1\/chat\/completions/,
  },
  {
    name: 'PUT /v1/chat/completions',
    method: 'PUT',
    body: chat(),
    status: [404, 405],
    code: ['not_found', 'method_not_allowed'],
    param: null,
    message: /PUT \/v1\/chat\/completions/,
  },
];

// ------------------------------------------------------------------------------------------------

let fake: FakeGemini;
let gw: TestGateway;
let password: string;

const generateCalls = () => fake.requests.filter((r) => r.action?.endsWith('enerateContent'));

beforeAll(async () => {
  fake = await startFakeGemini();
  gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY], settings: NO_RATE_LIMITS });
  password = gw.settings.get().password;
});
afterAll(async () => {
  await gw?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
});

describe('bad input on POST /v1/chat/completions', () => {
  it.each(rows)('$name', async (row) => {
    const reply = await send(gw.url, row);
    const error = errorOf(reply);

    const statuses: readonly number[] = typeof row.status === 'number' ? [row.status] : row.status;
    const codes: readonly string[] = typeof row.code === 'string' ? [row.code] : row.code;
    expect(statuses, reply.text).toContain(reply.status);
    expect(codes, reply.text).toContain(error.code);
    expect(error.type).toBe(row.type ?? 'invalid_request_error');
    if (row.param !== undefined) expect(error.param).toBe(row.param);
    expect(error.message).toMatch(row.message);

    if (row.forwarded) expect(generateCalls()).toHaveLength(1);
    else expect(fake.requests, 'rejected locally: no upstream call').toEqual([]);
  });

  it('keeps the key usable after an unknown model (a 404 is the request’s fault, not the key’s)', async () => {
    for (let i = 0; i < 3; i++) {
      const reply = await send(gw.url, { body: chat({ model: `no-such-model-${i}` }) });
      expect(reply.status, reply.text).toBe(404);
      expect(errorOf(reply).code).toBe('model_not_found');
    }
    const [health] = gw.core.keys.health();
    expect(health).toMatchObject({ status: 'active', cooldownUntil: null, disabledReason: null });
    expect(gw.core.keys.availability()).toMatchObject({ active: 1, cooling: 0, disabled: 0 });

    const ok = await send(gw.url, { body: chat() });
    expect(ok.status, ok.text).toBe(200);
  });

  // ~28 MB of JSON through both servers: seconds on a loaded two-core runner.
  it(
    'accepts a 20 MB image in a data URL under the default body limit and forwards it',
    { timeout: 60_000 },
    async () => {
      const bytes = Buffer.alloc(20 * 1024 * 1024, 0x5a);
      const data = bytes.toString('base64');
      const reply = await send(gw.url, {
        body: withParts({ type: 'text', text: 'What is this?' }, image(`data:image/png;base64,${data}`)),
      });
      expect(reply.status, reply.text.slice(0, 500)).toBe(200);
      expect(reply.json).toMatchObject({ object: 'chat.completion' });

      const [call] = generateCalls();
      const parts = (call?.body as { contents?: { parts?: { inlineData?: { data?: string } }[] }[] })
        ?.contents?.[0]?.parts;
      const inline = parts?.find((p) => p.inlineData)?.inlineData;
      expect(inline?.data?.length).toBe(data.length);
      expect(inline?.data === data).toBe(true); // not toBe: a failing diff of 28 MB strings is useless
    },
  );

  it('survives 10,000 nested arrays in a tool schema: a 4xx or a 200, never a 5xx', async () => {
    const schemas = [
      `{"type":"object","properties":{"a":{"type":"array","items":${nested(10_000)}}}}`,
      `{"type":"object","properties":{"a":{"enum":${nested(10_000)}}}}`,
      `{"type":"object","properties":{"a":${'{"type":"object","properties":{"a":'.repeat(2_000)}{}${'}}'.repeat(2_000)}}}`,
    ];
    const bodies = [
      ...schemas.map(
        (schema) =>
          `{"model":"${MODEL}","messages":[{"role":"user","content":"Hi"}],` +
          `"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`,
      ),
      `{"model":"${MODEL}","messages":[{"role":"user","content":"Hi"}],` +
        `"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${schemas[0]}}}}`,
      // A tool result is the client's own data: sent as text rather than refused.
      JSON.stringify(
        withMessages(
          user('Hi'),
          { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f' } }] },
          { role: 'tool', tool_call_id: 'c1', content: nested(10_000) },
        ),
      ),
    ];
    for (const body of bodies) {
      const reply = await send(gw.url, { body });
      expect(reply.status, reply.text).toBeLessThan(500);
      if (reply.status >= 400) expect(errorOf(reply).message).toMatch(/deeper than/);
      else expect(reply.json).toMatchObject({ object: 'chat.completion' });
    }
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
  });

  it('still serves a normal chat request after all of the above', async () => {
    const completion = await gw.openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Still there?' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toContain('Still there?');
    expect(generateCalls()).toHaveLength(1);
  });
});

describe('request body over MAX_BODY_MB', () => {
  let small: TestGateway;

  beforeAll(async () => {
    small = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      settings: { ...NO_RATE_LIMITS, maxBodyMb: 1 },
    });
  });
  afterAll(async () => {
    await small?.close();
  });

  const bigBody = () => JSON.stringify(withMessages(user('x'.repeat(2 * 1024 * 1024))));

  const expectTooLarge = (reply: Reply) => {
    expect(reply.status, reply.text).toBe(413);
    const error = errorOf(reply);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large', param: null });
    expect(error.message).toMatch(/larger than the 1 MB limit/);
    expect(fake.requests).toEqual([]);
  };

  it('answers 413 request_too_large to a body with a Content-Length over the limit', async () => {
    expectTooLarge(await send(small.url, { body: bigBody() }));
  });

  it('answers 413 to a chunked body that grows over the limit', async () => {
    const data = new TextEncoder().encode(bigBody());
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < data.length; i += 64 * 1024) controller.enqueue(data.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const res = await fetch(`${small.url}${CHAT}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${password}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    const text = await res.text();
    expectTooLarge({
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text,
      json: JSON.parse(text) as unknown,
    });
  });

  it('keeps answering after refusing oversize bodies', async () => {
    const reply = await send(small.url, { body: chat() });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json).toMatchObject({ object: 'chat.completion' });
  });
});
