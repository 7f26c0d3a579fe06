/**
 * Arbitraries of the chat fuzzer: a generator of *valid* chat requests (so mutations land deep inside
 * real structure, past the first zod check), hostile values to plant in them, and dedicated
 * generators for raw JSON texts, tool schemas and model ids.
 */
import fc from 'fast-check';
import { Bytes, cloneValue, encodeBody, Raw, setOwn, slotsOf } from './wire';
import type { FuzzRequest } from './wire';

const JSON_TYPE = 'application/json';

// ------------------------------------------------------------------------------------------------
// Strings and scalars

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\u200f\u200e\u061c',
  '\ud800',
  '\udfff',
  '\udfff\ud800',
  '😀👩‍👩‍👧‍👦🏳️‍🌈',
  '\ufeffBOM',
  'e\u0301\u0301\u0301',
  '\u2028\u2029',
  '</script><script>',
  '${x}{{x}}%s%n',
  '\\',
  '"',
  '{"a":1}',
  'null',
  'NaN',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
] as const;

export const oddText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS) },
);

const base64 = fc.uint8Array({ minLength: 1, maxLength: 18 }).map((b) => Buffer.from(b).toString('base64'));

/**
 * Every URL here is refused or served without touching the network: data URLs, other schemes, and
 * http(s) only on private literals (the SSRF guard refuses them before any connection).
 */
const BAD_DATA_URLS = [
  'data:',
  'data:,',
  'data:image/png,AAAA',
  'data:image/png;base64,',
  'data:image/png;base64,@@@@',
  'data:image/png;base64,AAA',
  'data:;base64,AAAA',
  'data:image/png;base64;charset=x,AAAA',
  'data:image/png;base64,AA==AA==',
  'DATA:IMAGE/PNG;BASE64,AAAA',
  `data:image/png;base64,${'A'.repeat(1025)}`,
  `data:${'x'.repeat(2000)};base64,AAAA`,
  'data:image/png;base64, A A\nA A ',
  'data:image/png;base64,\u0000AAA',
  'data:image/png;base64,\ud800AAA',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://127.0.0.1:1/a.png',
  'https://[::1]/a.png',
  'http://169.254.169.254/latest/meta-data',
  'http://user:pw@10.0.0.1/a.png',
  'http://0x7f000001/a.png',
  'ftp://10.0.0.1/a.png',
  '//10.0.0.1/a.png',
  ' ',
] as const;

const validDataUrl = fc
  .tuple(fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'audio/wav', 'IMAGE/WEBP'), base64)
  .map(([mime, data]) => `data:${mime};base64,${data}`);

export const dataUrl: fc.Arbitrary<string> = fc.oneof(
  validDataUrl,
  fc.constantFrom(...BAD_DATA_URLS),
  fc
    .tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }))
    .map(([head, payload]) => `data:${head},${payload}`),
);

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

const RAW_FRAGMENTS: readonly Raw[] = [
  new Raw(nested(100)),
  new Raw(nested(300)),
  new Raw(nested(10_000), '10,000 nested arrays'),
  new Raw(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`, '5,000 nested objects'),
  new Raw(`${'[{"type":'.repeat(1_000)}1${'}]'.repeat(1_000)}`, '1,000 nested arrays of objects'),
  new Raw('1e309'),
  new Raw('-1e309'),
  new Raw('-0'),
  new Raw('-0.0e0'),
  new Raw('1e-400'),
  new Raw('123456789012345678901234567890'),
  new Raw('9007199254740993'),
  new Raw('NaN'),
  new Raw('Infinity'),
  new Raw('"NaN"'),
  new Raw('{"__proto__":{"polluted":"yes"}}'),
  new Raw('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  new Raw('{"a":1,"a":{"b":2},"a":[3]}'),
  new Raw('{"type":"text","type":"image_url","text":"x"}'),
  new Raw('{"role":"user","role":"tool","content":"x"}'),
  new Raw('"\\ud800"'),
  new Raw('"\\udc00\\ud800"'),
  new Raw('"\\u0000\\u0001\\u001f"'),
  new Raw('"\\u202e\\u200f"'),
];

/** Invalid UTF-8: stray continuation, overlong NUL, CESU-8 surrogate, > U+10FFFF, truncated sequences. */
const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xf0, 0x9f, 0x98],
];

/** A JSON string literal with invalid UTF-8 bytes inside; sometimes the bytes stand alone. */
export const invalidUtf8: fc.Arbitrary<Bytes> = fc
  .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...INVALID_UTF8), fc.boolean())
  .map(([text, bad, quoted]) => {
    const literal = JSON.stringify(text);
    return new Bytes(
      quoted
        ? Buffer.concat([Buffer.from(literal.slice(0, -1)), Buffer.from(bad), Buffer.from('"')])
        : Buffer.from(bad),
    );
  });

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'type',
    'role',
    'content',
    'model',
    'url',
    '$ref',
    'properties',
    '',
    '\u0000',
  ),
);

const SPECIAL_VALUES: readonly unknown[] = [
  -0,
  0,
  -1,
  1.5,
  2 ** 53,
  -(2 ** 53),
  1e308,
  Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'true',
  'null',
  true,
  false,
  null,
  [],
  {},
  [[]],
  [null],
  [''],
  { type: null },
  { type: 'text' },
  { url: 'data:image/png;base64,AAAA' },
];

/** What gets planted into otherwise valid requests. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.anything({
      maxDepth: 3,
      maxKeys: 5,
      key: hostileKey,
      stringUnit: 'binary',
      withObjectString: true,
    }),
  },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_FRAGMENTS) },
  { weight: 1, arbitrary: invalidUtf8 },
  { weight: 1, arbitrary: dataUrl },
  { weight: 2, arbitrary: oddText },
);

// ------------------------------------------------------------------------------------------------
// Valid requests

export const MODELS = [
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'gemini-2.5-flash-lite',
  'gemini-3-pro-preview',
  'gemini-3-flash-preview',
  'gemini-2.0-flash',
  'gemini-2.5-flash-image',
  'gemini-2.5-flash-nothinking',
  'gemini-2.5-pro-thinking-512',
  'models/gemini-2.5-flash',
] as const;
/** Forwarded, and refused by the upstream (404): a small share of the traffic. */
const UNSERVED_MODELS = ['gemini-embedding-001', 'no-such-model'] as const;
const modelArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...MODELS) },
  { weight: 1, arbitrary: fc.constantFrom(...UNSERVED_MODELS) },
);

/** Mostly what a real client sends; the rest is left to the hostile mutations. */
const mostly = <A, B>(usual: fc.Arbitrary<A>, odd: fc.Arbitrary<B>): fc.Arbitrary<A | B> =>
  fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: odd });

const toolName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('get_weather', 'search', 'f', 'ns.tool:v1-x') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.:-]{0,20}$/) },
);

const textPart = oddText.map((text) => ({ type: 'text', text }));
const partUrl = mostly(validDataUrl, dataUrl);
const imagePart = fc.record({
  type: fc.constant('image_url'),
  image_url: fc.oneof(
    fc.record({ url: partUrl, detail: fc.constantFrom('auto', 'low', 'high') }, { requiredKeys: ['url'] }),
    partUrl,
  ),
});
const audioPart = fc.record({
  type: fc.constant('input_audio'),
  input_audio: fc.record({
    data: base64,
    format: mostly(fc.constantFrom('wav', 'mp3', 'WAV'), fc.constant('ogg')),
  }),
});
const filePart = fc.record({
  type: fc.constant('file'),
  file: mostly(
    fc.record({ file_data: partUrl, filename: oddText }, { requiredKeys: ['file_data'] }),
    fc.constant({ file_id: 'file-abc' }),
  ),
});

const userMessage = fc.record(
  {
    role: fc.constant('user'),
    content: fc.oneof(
      { weight: 3, arbitrary: oddText },
      {
        weight: 2,
        arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: textPart }, imagePart, audioPart, filePart), {
          minLength: 1,
          maxLength: 4,
        }),
      },
    ),
    name: oddText,
  },
  { requiredKeys: ['role', 'content'] },
);
const systemMessage = fc.record({
  role: fc.constantFrom('system', 'developer'),
  content: fc.oneof(oddText, fc.array(textPart, { maxLength: 2 })),
});
const assistantText = fc.record(
  { role: fc.constant('assistant'), content: fc.option(oddText), reasoning_content: oddText },
  { requiredKeys: ['role', 'content'] },
);

const argumentsText = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ v })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '{}',
      '{"city":"Paris"}',
      '{oops',
      '[]',
      '"x"',
      'null',
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"a":1,"a":2}',
      `{"a":${nested(300)}}`,
      `{"a":${nested(10_000)}}`,
    ),
  },
);

const toolRoundTrip = fc
  .record({
    question: userMessage,
    name: toolName,
    args: argumentsText,
    result: fc.oneof(oddText, argumentsText),
    // Gemini wants base64 signatures; anything else is the upstream's 400 to give.
    signature: fc.option(mostly(base64, oddText)),
    followUp: fc.option(userMessage),
    callId: mostly(fc.constant('call_1'), oddText),
  })
  .map(({ question, name, args, result, signature, followUp, callId }) => [
    question,
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: callId,
          type: 'function',
          function: { name, arguments: args },
          ...(signature === null ? {} : { extra_content: { google: { thought_signature: signature } } }),
        },
      ],
    },
    { role: 'tool', tool_call_id: callId, content: result },
    ...(followUp === null ? [] : [followUp]),
  ]);

const plainConversation = fc
  .tuple(
    fc.option(systemMessage),
    fc.array(fc.oneof(userMessage, assistantText), { maxLength: 3 }),
    userMessage,
  )
  .map(([system, middle, last]) => [...(system === null ? [] : [system]), ...middle, last]);

export const conversation = fc.oneof({ weight: 3, arbitrary: plainConversation }, toolRoundTrip);

const simpleSchema = fc.constantFrom(
  { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  { type: 'object', properties: {} },
  {
    type: 'object',
    properties: { n: { type: ['integer', 'null'] }, tags: { type: 'array', items: { type: 'string' } } },
  },
  { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', strict: true },
);

export const toolArb = fc.record(
  {
    type: fc.constant('function'),
    function: fc.record(
      { name: toolName, description: oddText, parameters: simpleSchema, strict: fc.boolean() },
      { requiredKeys: ['name'] },
    ),
  },
  { requiredKeys: ['type', 'function'] },
);

const responseFormat = fc.oneof(
  fc.constant({ type: 'text' }),
  fc.constant({ type: 'json_object' }),
  simpleSchema.map((schema) => ({ type: 'json_schema', json_schema: { name: 'answer', schema } })),
);

const params = fc.record(
  {
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    top_k: fc.integer({ min: 1, max: 100 }),
    n: fc.integer({ min: 1, max: 3 }),
    max_tokens: fc.integer({ min: 1, max: 100_000 }),
    max_completion_tokens: fc.integer({ min: 1, max: 100_000 }),
    stop: fc.oneof(oddText, fc.array(oddText, { maxLength: 4 })),
    seed: fc.integer(),
    presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    stream: fc.boolean(),
    stream_options: fc.record({ include_usage: fc.boolean() }),
    response_format: responseFormat,
    tools: fc.array(toolArb, { maxLength: 3 }),
    /** A string mode, or an index into the declared tools (see `coherent`). */
    tool_choice: fc.oneof(fc.constantFrom('none', 'auto', 'required'), fc.nat()),
    parallel_tool_calls: fc.boolean(),
    reasoning_effort: fc.constantFrom('none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'),
    modalities: fc.constantFrom<string[]>(['text'], ['text', 'image']),
    logprobs: fc.boolean(),
    top_logprobs: fc.integer({ min: 0, max: 20 }),
    user: oddText,
    extra_body: fc.record({
      google: fc.record(
        {
          thinking_config: fc.record(
            { thinking_budget: fc.integer({ min: -1, max: 40_000 }), include_thoughts: fc.boolean() },
            { requiredKeys: [] },
          ),
          cached_content: oddText,
        },
        { requiredKeys: [] },
      ),
    }),
  },
  { requiredKeys: [] },
);

type Params = typeof params extends fc.Arbitrary<infer P> ? P : never;

/**
 * Drops the combinations a model refuses anyway (n > 1 on Gemini 3 and image models, image output
 * on text models) and points tool_choice at a declared tool, so the baseline is a 200.
 */
function coherent(model: string, p: Params): Record<string, unknown> {
  const { tool_choice: choice, n, modalities, ...rest } = p;
  const out: Record<string, unknown> = { ...rest };
  const single = model.includes('gemini-3') || model.includes('image');
  if (n !== undefined && (n === 1 || !single)) out.n = n;
  if (modalities !== undefined && (model.includes('image') || !modalities.includes('image'))) {
    out.modalities = modalities;
  }
  const tools = p.tools ?? [];
  if (typeof choice === 'number') {
    const declared = tools[choice % Math.max(tools.length, 1)];
    if (declared) out.tool_choice = { type: 'function', function: { name: declared.function.name } };
  } else if (choice !== undefined && (choice !== 'required' || tools.length > 0)) {
    out.tool_choice = choice;
  }
  return out;
}

export const validRequest = fc
  .tuple(modelArb, conversation, params)
  .map(([model, messages, extra]) => ({ model, messages, ...coherent(model, extra) }));

// ------------------------------------------------------------------------------------------------
// Mutations

type Mutation = [pick: number, op: 'replace' | 'delete' | 'wrap' | 'addKey', value: unknown, key: string];

const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.nat(),
  fc.constantFrom('replace', 'replace', 'delete', 'wrap', 'addKey'),
  hostileValue,
  hostileKey,
);

/** Plants hostile values at random slots of a copy of `request` (slot 0 of "replace" is the body). */
export function mutate(request: unknown, mutations: readonly Mutation[]): unknown {
  let root = cloneValue(request);
  for (const [pick, op, value, key] of mutations) {
    const slots = slotsOf(root);
    const index = pick % (slots.length + 1);
    const slot = slots[index - 1];
    if (slot === undefined) {
      if (op === 'replace') root = cloneValue(value);
      continue;
    }
    const { container } = slot;
    const current = Array.isArray(container) ? container[Number(slot.key)] : container[slot.key];
    const setSlot = (v: unknown) => {
      if (Array.isArray(container)) container[Number(slot.key)] = v;
      else setOwn(container, slot.key, v);
    };
    switch (op) {
      case 'replace':
        setSlot(cloneValue(value));
        break;
      case 'delete':
        if (Array.isArray(container)) container.splice(Number(slot.key), 1);
        else delete container[slot.key];
        break;
      case 'wrap':
        setSlot(index % 2 === 0 ? [current] : { value: current });
        break;
      case 'addKey':
        if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
          setOwn(current as Record<string, unknown>, key, cloneValue(value));
        } else {
          setSlot(cloneValue(value));
        }
        break;
    }
  }
  return root;
}

/** A valid request with 0–3 hostile mutations, sent as JSON (or bytes when invalid UTF-8 was planted). */
export const mutatedRequest: fc.Arbitrary<{ request: unknown; mutations: Mutation[] }> = fc.record({
  request: validRequest,
  mutations: fc.array(mutation, { maxLength: 3 }),
});

export const toFuzzRequest = ({
  request,
  mutations,
}: {
  request: unknown;
  mutations: Mutation[];
}): FuzzRequest => ({
  body: encodeBody(mutate(request, mutations)),
  contentType: JSON_TYPE,
});

// ------------------------------------------------------------------------------------------------
// Raw texts: what no JSON serialiser produces

const CONTENT_TYPES = [
  JSON_TYPE,
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16le',
  'application/json;;;',
  'application/vnd.api+json',
  'text/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  '',
  null,
] as const;

const duplicateKey = fc.constantFrom(
  'model',
  'messages',
  'stream',
  'temperature',
  'tools',
  'n',
  '__proto__',
  'constructor',
);
const duplicateValue = fc.constantFrom(
  '"../x"',
  '"a/b:streamGenerateContent?alt=json#"',
  '"gemini-2.5-flash"',
  '"gemini-3-pro-preview"',
  '5',
  'null',
  '[]',
  '{}',
  'true',
  '"yes"',
  '{"prototype":{"polluted":"yes"}}',
  '[{"role":"user","content":"dup"}]',
  nested(400),
);

type TextEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; key: string; value: string; first: boolean }
  | { kind: 'replace'; body: string | Uint8Array };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 6 }),
      fc.constantFrom(...INVALID_UTF8.map((b) => Uint8Array.from(b))),
    ),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    key: duplicateKey,
    value: duplicateValue,
    first: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    body: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '{',
        '}',
        '[]',
        '{}',
        'null',
        '"x"',
        '{"model":',
        '\ufeff{}',
        '{"a":1}{"b":2}',
      ),
    ),
  }),
);

function applyEdit(text: string, edit: TextEdit): string | Buffer {
  const bytes = Buffer.from(text, 'utf8');
  switch (edit.kind) {
    case 'truncate':
      return bytes.subarray(0, edit.at % bytes.length);
    case 'splice': {
      const at = edit.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
    }
    case 'duplicate': {
      // JSON.parse keeps the last duplicate: first vs last decides which one the gateway sees.
      const pair = `"${edit.key}":${edit.value}`;
      return edit.first ? `{${pair},${text.slice(1)}` : `${text.slice(0, -1)},${pair}}`;
    }
    case 'replace':
      return typeof edit.body === 'string' ? edit.body : Buffer.from(edit.body);
  }
}

export const rawTextRequest: fc.Arbitrary<{ request: unknown; edit: TextEdit; contentType: string | null }> =
  fc.record({
    request: validRequest,
    edit: textEdit,
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant(JSON_TYPE) },
      { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    ),
  });

export const rawToFuzzRequest = (r: {
  request: unknown;
  edit: TextEdit;
  contentType: string | null;
}): FuzzRequest => {
  const body = applyEdit(JSON.stringify(r.request), r.edit);
  return { body: typeof body === 'string' ? body : Buffer.from(body), contentType: r.contentType };
};

// ------------------------------------------------------------------------------------------------
// Tool schemas

/** "__proto__" makes the whole body a 400 (fastify refuses it), so it stays rare. */
const propertyName = fc.oneof(
  { weight: 60, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 60, arbitrary: fc.constantFrom('a', 'b', '$ref', 'type', 'properties', 'toString', 'prototype') },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor') },
);
const refArb = fc.constantFrom(
  '#',
  '#/',
  '#/$defs/a',
  '#/$defs/b',
  '#/properties/a',
  '#/properties/a/items',
  '#/definitions/x',
  '#/%zz',
  '#/items/0',
  '#/~1/~0',
  'http://127.0.0.1/schema.json',
  'other.json#/x',
  '#anchor',
  '',
);
const typeArb = fc.oneof(
  fc.constantFrom('object', 'string', 'number', 'integer', 'boolean', 'array', 'null', 'OBJECT', 'any', ''),
  fc.array(fc.constantFrom('object', 'string', 'null', 'integer', 'bogus'), { maxLength: 3 }),
  fc.constantFrom(5, null, {}, true),
);
const schemaGarbage = fc.constantFrom<unknown>('x', 5, null, true, [], [1, 'a'], -0);

const { schema: schemaNode } = fc.letrec<{ schema: unknown }>((tie) => ({
  // Depth-capped: each node can hold ~10 subschemas, so deeper trees cost seconds to generate.
  schema: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    { weight: 1, arbitrary: schemaGarbage },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          type: typeArb,
          properties: fc.oneof(fc.dictionary(propertyName, tie('schema'), { maxKeys: 3 }), schemaGarbage),
          items: fc.oneof(tie('schema'), fc.array(tie('schema'), { maxLength: 2 })),
          $ref: refArb,
          anyOf: fc.oneof(fc.array(tie('schema'), { maxLength: 2 }), schemaGarbage),
          oneOf: fc.array(tie('schema'), { maxLength: 2 }),
          allOf: fc.array(tie('schema'), { maxLength: 2 }),
          enum: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }), schemaGarbage),
          const: fc.jsonValue({ maxDepth: 1 }),
          required: fc.oneof(fc.array(propertyName, { maxLength: 3 }), schemaGarbage),
          $defs: fc.dictionary(fc.constantFrom('a', 'b'), tie('schema'), { maxKeys: 2 }),
          additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
          description: oddText,
          default: fc.jsonValue({ maxDepth: 1 }),
          nullable: fc.oneof(fc.boolean(), schemaGarbage),
          format: fc.constantFrom('date-time', 'enum', 'int64', '', 'bogus'),
          minimum: fc.constantFrom<unknown>(-0, 1e308, Number.NaN, '1', null),
          $schema: fc.constantFrom('https://json-schema.org/draft/2020-12/schema', 5),
          strict: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
    },
  ),
}));

/** Hand-made worst cases, kept out of counterexamples by their labels. */
const wideProperties = Object.fromEntries(
  Array.from({ length: 10_000 }, (_, i) => [`p${i}`, { type: 'string', description: `property ${i}` }]),
);
/** ~150 ms a request each (mostly the fake's proto-JSON referee), so they stay rare. */
const WIDE_SCHEMAS: readonly Raw[] = [
  new Raw(JSON.stringify({ type: 'object', properties: wideProperties }), '10,000 properties'),
  new Raw(
    JSON.stringify({ type: 'object', required: Object.keys(wideProperties), properties: { a: {} } }),
    '10,000 required names',
  ),
];
const SPECIAL_SCHEMAS: readonly unknown[] = [
  {
    type: 'object',
    properties: { a: { $ref: '#/$defs/a' }, b: { $ref: '#' } },
    $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a', properties: { c: { $ref: '#/$defs/a' } } } },
  },
  { $ref: '#' },
  {
    type: 'object',
    properties: { a: { type: 'array', items: new Raw(nested(10_000), '10,000 nested arrays') } },
  },
  // Deeper than the schema cleaner follows (64), within the body's nesting limit.
  new Raw(
    `{"type":"object","properties":{"a":${'{"type":"object","properties":{"a":'.repeat(100)}{}${'}}'.repeat(100)}}}`,
    '100 nested object schemas',
  ),
  new Raw(
    `{"type":"object","properties":{"a":${'{"type":"object","properties":{"a":'.repeat(150)}{}${'}}'.repeat(150)}}}`,
    '150 nested object schemas',
  ),
  new Raw(`{"properties":{"__proto__":{"type":"string"}},"type":"object"}`),
  new Raw(`{"type":"object","type":"array","items":{"type":"string"},"properties":"dup"}`),
];

export const toolSchema: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 90, arbitrary: schemaNode },
  { weight: 8, arbitrary: fc.constantFrom(...SPECIAL_SCHEMAS) },
  { weight: 1, arbitrary: fc.constantFrom(...WIDE_SCHEMAS) },
);

export const schemaRequest = fc
  .record({
    model: fc.constantFrom('gemini-2.5-flash', 'gemini-3-pro-preview', 'gemini-2.0-flash'),
    schemas: fc.array(fc.tuple(toolName, toolSchema), { minLength: 1, maxLength: 3 }),
    responseSchema: fc.option(toolSchema, { freq: 3 }),
    toolChoice: fc.option(fc.oneof(fc.constantFrom('auto', 'required', 'none'), toolName)),
  })
  .map(({ model, schemas, responseSchema, toolChoice }) => ({
    model,
    messages: [{ role: 'user', content: 'Use a tool.' }],
    tools: schemas.map(([name, parameters]) => ({ type: 'function', function: { name, parameters } })),
    ...(responseSchema === null
      ? {}
      : { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: responseSchema } } }),
    ...(toolChoice === null
      ? {}
      : {
          tool_choice: ['auto', 'required', 'none'].includes(toolChoice)
            ? toolChoice
            : { type: 'function', function: { name: toolChoice } },
        }),
  }));

// ------------------------------------------------------------------------------------------------
// Model ids

const HOSTILE_MODELS = [
  '../x',
  '../../v1beta/models/gemini-2.5-flash',
  'models/../gemini-2.5-flash',
  'models/',
  'models/models/gemini-2.5-flash',
  'gemini-2.5-flash/../../x',
  'gemini-2.5-flash:streamGenerateContent',
  'gemini-2.5-flash?alt=json',
  'gemini-2.5-flash?key=AIzaSteal',
  'gemini-2.5-flash#frag',
  'gemini-2.5-flash%2F..%2Fx',
  '%2e%2e',
  '..',
  '.',
  '.hidden',
  '-x',
  '_x',
  'a..b',
  'a b',
  ' gemini-2.5-flash',
  'gemini-2.5-flash ',
  'gemini-2.5-flash\n',
  'gemini-2.5-flash\r\nX-Injected: 1',
  'gemini-2.5-flash\u0000',
  'gemini\u202e-2.5-flash',
  'gemіni-2.5-flash', // Cyrillic i
  'ｇｅｍｉｎｉ',
  '😀',
  'g'.repeat(128),
  'g'.repeat(129),
  '\\..\\x',
  'gemini-2.5-flash-thinking-99999999999999999999999',
  'gemini-2.5-flash-nothinking-maxthinking',
  '@@',
] as const;

export const modelId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_MODELS) },
  { weight: 1, arbitrary: fc.constantFrom(...MODELS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^(models\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...MODELS),
        fc.constantFrom('/', ':', '?', '#', '%', '..', '\\', ' ', '\u0000', '/..'),
      )
      .map(([m, c]) => `${m}${c}x`),
  },
);

export const modelRequest = fc
  .record({ model: modelId, stream: fc.boolean(), conversation: plainConversation })
  .map(({ model, stream, conversation: messages }) => ({ model, stream, messages }));

// ------------------------------------------------------------------------------------------------
// Huge strings (~1 MB of body each), described by indices so counterexamples stay readable

const MB = 1024 * 1024;
/** Lone surrogates and NULs are escaped to 6 bytes each by JSON.stringify: fewer of them. */
const HUGE_KINDS = {
  ascii: () => 'a'.repeat(MB),
  emoji: () => '😀👩‍👩‍👧'.repeat(MB / 32),
  loneSurrogates: () => '\ud800x\udfff'.repeat(MB / 16),
  rtlAndNul: () => '\u202e\u0000\u200f'.repeat(MB / 24),
  escapes: () => '"\\\n\t'.repeat(MB / 8),
  validBase64: () => `data:image/png;base64,${Buffer.alloc(MB * 0.7, 1).toString('base64')}`,
  invalidBase64: () => `data:image/png;base64,${'A'.repeat(MB - 1)}!`,
} as const;
export type HugeKind = keyof typeof HUGE_KINDS;

const hugeCache = new Map<HugeKind, string>();
export const hugeString = (kind: HugeKind): string => {
  let s = hugeCache.get(kind);
  if (s === undefined) {
    s = HUGE_KINDS[kind]();
    hugeCache.set(kind, s);
  }
  return s;
};

const HUGE_PLACES = {
  userText: (s: string) => ({ messages: [{ role: 'user', content: s }] }),
  systemText: (s: string) => ({
    messages: [
      { role: 'system', content: s },
      { role: 'user', content: 'hi' },
    ],
  }),
  imageUrl: (s: string) => ({
    messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: s } }] }],
  }),
  fileData: (s: string) => ({
    messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: s, filename: 'a.pdf' } }] }],
  }),
  toolDescription: (s: string) => ({
    tools: [{ type: 'function', function: { name: 'f', description: s } }],
  }),
  toolName: (s: string) => ({ tools: [{ type: 'function', function: { name: s } }] }),
  stop: (s: string) => ({ stop: [s] }),
  model: (s: string) => ({ model: s }),
  user: (s: string) => ({ user: s }),
  unknownField: (s: string) => ({ some_future_field: s }),
  toolResult: (s: string) => ({
    messages: [
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: s },
    ],
  }),
} as const;
export type HugePlace = keyof typeof HUGE_PLACES;

export const hugeRequest = fc.record({
  kind: fc.constantFrom(...(Object.keys(HUGE_KINDS) as HugeKind[])),
  place: fc.constantFrom(...(Object.keys(HUGE_PLACES) as HugePlace[])),
  stream: fc.boolean(),
});

export const hugeToFuzzRequest = (r: { kind: HugeKind; place: HugePlace; stream: boolean }): FuzzRequest => ({
  body: JSON.stringify({
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: 'hi' }],
    stream: r.stream,
    ...HUGE_PLACES[r.place](hugeString(r.kind)),
  }),
  contentType: JSON_TYPE,
});
