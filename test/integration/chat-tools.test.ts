/**
 * Function calling end to end: declarations and tool_choice reach Gemini, Gemini's calls come back
 * as OpenAI tool_calls (ids, JSON-string arguments, parallel calls, streamed deltas), tool results
 * go back as functionResponse with the right name, and Gemini 3's thought signatures survive the
 * round trip — echoed by the client, remembered by the gateway, or replaced for foreign history.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import type {
  GeminiGenerateContentRequest,
  GeminiPart,
} from '../../main/server/providers/gemini/gemini-types';
import { type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls, onlyGenerateBody } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
        required: ['city'],
        additionalProperties: false,
      },
      strict: true,
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      description: 'Local time in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

type SignedCall = ChatCompletionMessageFunctionToolCall & {
  extra_content?: { google?: { thought_signature?: string } };
};

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started));

const functionCalls = (message: ChatCompletionMessage | undefined): SignedCall[] =>
  (message?.tool_calls ?? []).filter((c): c is SignedCall => c.type === 'function');

const lastBody = (): GeminiGenerateContentRequest => {
  const calls = generateCalls(fake);
  return calls.at(-1)!.body as GeminiGenerateContentRequest;
};

/** Scripts the first generate call to answer with function calls; later ones get the default echo. */
function firstTurnCalls(calls: { name: string; args: Record<string, unknown>; id?: string }[]): void {
  fake.script((r) => (generateCalls(fake)[0] === r ? { kind: 'functionCalls', calls } : undefined));
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('tool calls, non-stream', () => {
  it('declares the tools and returns the call with an id and JSON-string arguments', async () => {
    firstTurnCalls([{ name: 'get_weather', args: { city: 'Paris', unit: 'c' } }]);
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
    });
    const choice = res.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const [call, ...rest] = functionCalls(choice.message);
    expect(rest).toEqual([]);
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(call?.type).toBe('function');
    expect(call?.function.name).toBe('get_weather');
    expect(typeof call?.function.arguments).toBe('string');
    expect(JSON.parse(call!.function.arguments)).toEqual({ city: 'Paris', unit: 'c' });

    const body = onlyGenerateBody(fake);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather in a city',
            parametersJsonSchema: {
              type: 'object',
              properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
              required: ['city'],
              additionalProperties: false,
            },
          },
          {
            name: 'get_time',
            description: 'Local time in a city',
            parametersJsonSchema: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
            },
          },
        ],
      },
    ]);
  });

  it('sends the tool result back as functionResponse with the function name', async () => {
    firstTurnCalls([{ name: 'get_weather', args: { city: 'Paris' } }]);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    const assistant = first.choices[0]!.message;
    const [call] = functionCalls(assistant);
    messages.push(assistant, { role: 'tool', tool_call_id: call!.id, content: '{"temp_c": 18}' });

    const second = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toBe('Echo: Weather in Paris?');

    const contents = lastBody().contents;
    expect(contents).toHaveLength(3);
    expect(contents[0]).toEqual({ role: 'user', parts: [{ text: 'Weather in Paris?' }] });
    expect(contents[1]?.role).toBe('model');
    expect(contents[1]?.parts?.map((p) => p.functionCall)).toEqual([
      { name: 'get_weather', args: { city: 'Paris' } },
    ]);
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 18 } } }],
    });
  });

  it('a history trimmed to begin with the tool call (context limited to the last N messages) is answered', async () => {
    // The fake refuses a function call turn that follows no user turn, as Gemini does.
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'Answer briefly.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'assistant', content: 'It is sunny in Paris.' },
      { role: 'user', content: 'And tomorrow?' },
    ];
    const res = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    expect(res.choices[0]?.message.content).toBe('Echo: And tomorrow?');
    const contents = lastBody().contents;
    expect(contents[0]).toEqual({ role: 'user', parts: [{ text: ' ' }] });
    expect(contents.slice(1).map((c) => c.role)).toEqual(['model', 'user', 'model', 'user']);
  });

  it('handles parallel calls: distinct ids, and results matched back by id in call order', async () => {
    firstTurnCalls([
      { name: 'get_weather', args: { city: 'Paris' } },
      { name: 'get_time', args: { city: 'Tokyo' } },
    ]);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Paris weather and Tokyo time' },
    ];
    const first = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    const calls = functionCalls(first.choices[0]?.message);
    expect(calls.map((c) => c.function.name)).toEqual(['get_weather', 'get_time']);
    expect(calls.map((c) => JSON.parse(c.function.arguments) as unknown)).toEqual([
      { city: 'Paris' },
      { city: 'Tokyo' },
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');

    // Answered in the opposite order, and the time result as plain text.
    messages.push(
      first.choices[0]!.message,
      { role: 'tool', tool_call_id: calls[1]!.id, content: '09:30' },
      { role: 'tool', tool_call_id: calls[0]!.id, content: '{"temp_c": 18}' },
    );
    await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    const contents = lastBody().contents;
    expect(contents[1]?.parts?.map((p) => p.functionCall?.name)).toEqual(['get_weather', 'get_time']);
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_weather', response: { temp_c: 18 } } },
        { functionResponse: { name: 'get_time', response: { output: '09:30' } } },
      ],
    });
  });

  it("keeps Gemini's own call ids and sends them back with the response", async () => {
    firstTurnCalls([{ name: 'get_time', args: { city: 'Oslo' }, id: 'gemini-call-7' }]);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Time in Oslo?' }];
    const first = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    const [call] = functionCalls(first.choices[0]?.message);
    expect(call?.id).toBe('gemini-call-7');
    messages.push(first.choices[0]!.message, {
      role: 'tool',
      tool_call_id: 'gemini-call-7',
      content: '"12:00"',
    });
    await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash', messages, tools });
    const contents = lastBody().contents;
    expect(contents[1]?.parts?.[0]?.functionCall).toEqual({
      id: 'gemini-call-7',
      name: 'get_time',
      args: { city: 'Oslo' },
    });
    expect(contents[2]?.parts).toEqual([
      { functionResponse: { id: 'gemini-call-7', name: 'get_time', response: { result: '12:00' } } },
    ]);
  });
});

describe('tool calls, stream', () => {
  it('streams each call as one tool_calls delta with index, id, type, name and full arguments', async () => {
    firstTurnCalls([
      { name: 'get_weather', args: { city: 'Lyon' } },
      { name: 'get_time', args: { city: 'Nice' } },
    ]);
    const chunks = await collect(
      await gw.openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'Lyon weather, Nice time' }],
        tools,
        stream: true,
      }),
    );
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.map((d) => d.index)).toEqual([0, 1]);
    expect(deltas.map((d) => d.type)).toEqual(['function', 'function']);
    expect(deltas.map((d) => d.function?.name)).toEqual(['get_weather', 'get_time']);
    expect(deltas.map((d) => JSON.parse(d.function?.arguments ?? '') as unknown)).toEqual([
      { city: 'Lyon' },
      { city: 'Nice' },
    ]);
    expect(deltas.every((d) => /^call_/.test(d.id ?? ''))).toBe(true);
    expect(new Set(deltas.map((d) => d.id)).size).toBe(2);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('');
  });
});

describe('tool_choice', () => {
  it('"required" forces a call (mode ANY)', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
      tools,
      tool_choice: 'required',
    });
    expect(onlyGenerateBody(fake).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
  });

  it('a named function restricts the call to it', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    expect(onlyGenerateBody(fake).toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] },
    });
  });

  it('"none" disables calling, and naming an undeclared function is a 400 with no upstream call', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
      tools,
      tool_choice: 'none',
    });
    expect(onlyGenerateBody(fake).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });

    fake.reset();
    const err = await gw.openai.chat.completions
      .create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hi' }],
        tools,
        tool_choice: { type: 'function', function: { name: 'launch_rocket' } },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain('launch_rocket');
    expect(generateCalls(fake)).toHaveLength(0);
  });
});

describe('Gemini 3 thought signatures (the fake enforces them)', () => {
  const MODEL = 'gemini-3-pro-preview';

  /** The model turn's first functionCall part as it reached the fake in the latest request. */
  const replayedCallPart = (): GeminiPart | undefined =>
    lastBody()
      .contents.find((c) => c.role === 'model')
      ?.parts?.find((p) => p.functionCall !== undefined);

  async function firstTurn(
    stream: boolean,
  ): Promise<{ messages: ChatCompletionMessageParam[]; call: SignedCall }> {
    firstTurnCalls([{ name: 'get_weather', args: { city: 'Berlin' } }]);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Berlin?' }];
    let call: SignedCall;
    if (stream) {
      const chunks = await collect(
        await gw.openai.chat.completions.create({ model: MODEL, messages, tools, stream: true }),
      );
      const delta = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])[0] as SignedCall | undefined;
      expect(delta).toBeDefined();
      call = delta!;
      messages.push({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: call.id, type: 'function', function: call.function }],
      });
    } else {
      const res = await gw.openai.chat.completions.create({ model: MODEL, messages, tools });
      call = functionCalls(res.choices[0]?.message)[0]!;
      messages.push(res.choices[0]!.message);
    }
    expect(call.extra_content?.google?.thought_signature).toMatch(/^[A-Za-z0-9+/=]{8,}$/);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '{"temp_c": 11}' });
    return { messages, call };
  }

  it('second turn works when the client echoes extra_content', async () => {
    const { messages, call } = await firstTurn(false);
    const toolCalls = (messages[1] as { tool_calls?: SignedCall[] }).tool_calls;
    expect(toolCalls?.[0]?.extra_content?.google?.thought_signature).toBe(
      call.extra_content?.google?.thought_signature,
    );
    const second = await gw.openai.chat.completions.create({ model: MODEL, messages, tools });
    expect(second.choices[0]?.message.content).toBe('Echo: Weather in Berlin?');
    expect(replayedCallPart()?.thoughtSignature).toBe(call.extra_content?.google?.thought_signature);
  });

  it('second turn works when the client drops extra_content (the gateway remembers the signature)', async () => {
    // First turn streamed, history rebuilt the way most clients do: without extra_content.
    const { messages, call } = await firstTurn(true);
    const second = await gw.openai.chat.completions.create({ model: MODEL, messages, tools });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    // The real signature, not the skip marker: proves the memory, not the fallback, did it.
    expect(replayedCallPart()?.thoughtSignature).toBe(call.extra_content?.google?.thought_signature);
  });

  it('foreign history (a call the gateway never issued) gets the skip-validator marker', async () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_from_another_gateway',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_from_another_gateway', content: '{"temp_c": 24}' },
    ];
    const res = await gw.openai.chat.completions.create({ model: MODEL, messages, tools });
    expect(res.choices[0]?.message.content).toBe('Echo: Weather in Rome?');
    expect(replayedCallPart()?.thoughtSignature).toBe('skip_thought_signature_validator');
  });

  it('an echoed signature is used even when the gateway has no memory of the call (e.g. after a restart)', async () => {
    const signed: SignedCall = {
      id: 'call_before_restart',
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      extra_content: { google: { thought_signature: 'c2lnbmVkLWJ5LWdlbWluaQ==' } },
    };
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, tool_calls: [signed] },
      { role: 'tool', tool_call_id: signed.id, content: '{"temp_c": 3}' },
    ];
    await gw.openai.chat.completions.create({ model: MODEL, messages, tools });
    expect(replayedCallPart()?.thoughtSignature).toBe('c2lnbmVkLWJ5LWdlbWluaQ==');
  });
});

describe('a conversation that switches models halfway through its tool calls', () => {
  /** A tool call made by `model` and answered; the history as a client keeps it. */
  async function toolTurnOn(model: string): Promise<ChatCompletionMessageParam[]> {
    firstTurnCalls([{ name: 'get_weather', args: { city: 'Lima' } }]);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Lima?' }];
    const res = await gw.openai.chat.completions.create({ model, messages, tools });
    const call = functionCalls(res.choices[0]?.message)[0]!;
    expect(call.extra_content?.google?.thought_signature).toBeDefined();
    messages.push(res.choices[0]!.message);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '{"temp_c": 19}' });
    fake.reset();
    return messages;
  }

  const modelCallParts = (body: GeminiGenerateContentRequest): GeminiPart[] =>
    body.contents.flatMap((c) => (c.role === 'model' ? (c.parts ?? []) : [])).filter((p) => p.functionCall);

  it.each([false, true])(
    '2.5 Flash, then Gemini 3 (stream: %s): the signature Gemini refuses is dropped and the answer comes',
    async (stream) => {
      const messages = await toolTurnOn('gemini-2.5-flash');
      const request = { model: 'gemini-3-flash-preview', messages, tools };
      const text = stream
        ? (await collect(await gw.openai.chat.completions.create({ ...request, stream: true })))
            .map((c) => c.choices[0]?.delta.content ?? '')
            .join('')
        : (await gw.openai.chat.completions.create(request)).choices[0]?.message.content;
      expect(text).toBe('Echo: Weather in Lima?');

      const [refused, resent] = generateCalls(fake);
      expect(generateCalls(fake)).toHaveLength(2);
      const signatureOf = (r: typeof refused) =>
        modelCallParts(r!.body as GeminiGenerateContentRequest)[0]?.thoughtSignature;
      expect(signatureOf(refused)).toMatch(/^[A-Za-z0-9+/=]{8,}$/);
      expect(signatureOf(resent)).toBe('skip_thought_signature_validator');
      expect(
        gw.core.log
          .recent()
          .some((e) => e.message.includes('Gemini refused the thought signatures replayed')),
      ).toBe(true);
    },
  );

  it('the same model takes its own signatures: one call, the signature as made', async () => {
    const messages = await toolTurnOn('gemini-3-flash-preview');
    await gw.openai.chat.completions.create({ model: 'gemini-3-flash-preview', messages, tools });
    expect(generateCalls(fake)).toHaveLength(1);
    expect(modelCallParts(lastBody())[0]?.thoughtSignature).not.toBe('skip_thought_signature_validator');
  });

  it('other 400s are not tried again, signatures or not', async () => {
    const messages = await toolTurnOn('gemini-3-flash-preview');
    fake.script(() => ({ kind: 'error', status: 400 }));
    const err = await gw.openai.chat.completions
      .create({ model: 'gemini-3-flash-preview', messages, tools })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(generateCalls(fake)).toHaveLength(1);
  });
});
