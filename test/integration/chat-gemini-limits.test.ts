/**
 * Requests real clients send that Gemini itself would refuse or answer emptily, end to end with the
 * openai SDK. The fake refuses what Google refuses (checked first, straight at the fake), so each
 * test shows the gateway's request getting through where the client's own would not:
 * - more than 5 stop sequences (SillyTavern group chats, Continue's autocomplete);
 * - JSON mode beside function declarations before Gemini 3 (the OpenAI Agents SDK's output_type);
 * - a system prompt for Gemma, which refuses systemInstruction;
 * - max_tokens under thinking, which Gemini counts inside maxOutputTokens;
 * - a seed outside int32, the only integer size Gemini takes.
 */
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import type { GeminiGenerateContentRequest } from '../../main/server/providers/gemini/gemini-types';
import { DEFAULT_FAKE_KEY, type FakeGemini } from '../fakes/fake-gemini';
import { onlyGenerateBody } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started));

/** What Gemini (the fake) says to a body sent straight to it. */
async function upstreamVerdict(model: string, body: GeminiGenerateContentRequest) {
  const res = await fetch(`${fake.url}/v1beta/models/${model}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': DEFAULT_FAKE_KEY },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { error?: { message?: string } };
  fake.reset();
  return { status: res.status, message: json.error?.message ?? '' };
}

const hi = [{ role: 'user' as const, parts: [{ text: 'Hi' }] }];

describe('stop sequences', () => {
  const stop = ['\nUser:', '\nAlice:', '\nBob:', '\nCarol:', '\nDave:', '\nEve:', '</s>'];

  it('Gemini refuses more than five', async () => {
    const verdict = await upstreamVerdict('gemini-2.0-flash', {
      contents: hi,
      generationConfig: { stopSequences: stop },
    });
    expect(verdict.status).toBe(400);
    expect(verdict.message).toContain('stop_sequences must not exceed 5');
  });

  it('a client sending seven gets its answer; the first five are sent', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'Hi' }],
      stop,
    });
    expect(res.choices[0]?.message.content).toBe('Echo: Hi');
    expect(onlyGenerateBody(fake).generationConfig?.stopSequences).toEqual(stop.slice(0, 5));
  });
});

describe('JSON mode beside tools', () => {
  const tools: ChatCompletionTool[] = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];
  const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
  const request = (model: string) => ({
    model,
    messages: [
      { role: 'system' as const, content: 'You are a weather agent.' },
      { role: 'user' as const, content: 'Weather in Paris?' },
    ],
    tools,
    response_format: { type: 'json_schema' as const, json_schema: { name: 'Out', schema } },
  });

  it('Gemini 2.5 refuses the pair', async () => {
    const verdict = await upstreamVerdict('gemini-2.5-flash', {
      contents: hi,
      tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
      generationConfig: { responseMimeType: 'application/json' },
    });
    expect(verdict.status).toBe(400);
    expect(verdict.message).toBe(
      "Function calling with a response mime type: 'application/json' is unsupported",
    );
  });

  it('on 2.5 the agent gets its answer: the schema travels as an instruction, the tools stay', async () => {
    const res = await gw.openai.chat.completions.create(request('gemini-2.5-flash'));
    expect(res.choices[0]?.finish_reason).toBe('stop');
    const body = onlyGenerateBody(fake);
    expect(body.generationConfig?.responseMimeType).toBeUndefined();
    expect(body.generationConfig?.responseJsonSchema).toBeUndefined();
    expect(body.tools?.[0]?.functionDeclarations?.[0]?.name).toBe('get_weather');
    const system = (body.systemInstruction?.parts ?? []).map((p) => p.text);
    expect(system[0]).toBe('You are a weather agent.');
    expect(system[1]).toContain(`matches this JSON Schema: ${JSON.stringify(schema)}`);
  });

  it('Gemini 3 gets both as asked', async () => {
    await gw.openai.chat.completions.create(request('gemini-3-flash-preview'));
    const body = onlyGenerateBody(fake);
    expect(body.generationConfig?.responseMimeType).toBe('application/json');
    expect(body.generationConfig?.responseJsonSchema).toEqual(schema);
    expect(body.systemInstruction?.parts).toEqual([{ text: 'You are a weather agent.' }]);
  });
});

describe('Gemma and the system prompt', () => {
  it('Gemma refuses a system instruction', async () => {
    const verdict = await upstreamVerdict('gemma-3-27b-it', {
      contents: hi,
      systemInstruction: { parts: [{ text: 'You are Aria.' }] },
    });
    expect(verdict.status).toBe(400);
    expect(verdict.message).toContain('Developer instruction is not enabled');
  });

  it('the character card reaches Gemma at the start of the first user turn', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemma-3-27b-it',
      messages: [
        { role: 'system', content: 'You are Aria, a pirate.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(res.choices[0]?.message.content).toContain('Hello');
    const body = onlyGenerateBody(fake);
    expect(body.systemInstruction).toBeUndefined();
    expect(body.contents[0]?.parts).toEqual([{ text: 'You are Aria, a pirate.' }, { text: 'Hello' }]);
  });
});

describe('max_tokens under thinking', () => {
  it("SillyTavern's response length on 2.5 Pro leaves room for its thinking", async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 300,
    });
    // 300 + 2.5 Pro's largest budget (32768), below its listed outputTokenLimit (65536).
    expect(onlyGenerateBody(fake).generationConfig?.maxOutputTokens).toBe(300 + 32768);
  });

  it('max_completion_tokens, which includes reasoning in OpenAI’s terms, is sent as given', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 300,
    });
    expect(onlyGenerateBody(fake).generationConfig?.maxOutputTokens).toBe(300);
  });
});

describe('seed', () => {
  it('Gemini refuses a seed outside int32', async () => {
    const verdict = await upstreamVerdict('gemini-2.0-flash', {
      contents: hi,
      generationConfig: { seed: 2 ** 32 + 5 },
    });
    expect(verdict.status).toBe(400);
    expect(verdict.message).toContain('TYPE_INT32');
  });

  it('a 64-bit seed reaches Gemini as its low 32 bits', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'Hi' }],
      seed: 2 ** 32 + 5,
    });
    expect(res.choices[0]?.message.content).toBe('Echo: Hi');
    expect(onlyGenerateBody(fake).generationConfig?.seed).toBe(5);
  });
});
