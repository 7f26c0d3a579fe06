/**
 * What the OpenAI request's knobs become at Gemini: JSON mode (`response_format`) as
 * responseMimeType + responseJsonSchema, and thinking — model-name suffixes, `reasoning_effort` and
 * `extra_body.google.thinking_config` — as a thinkingConfig clamped to each model family. The fake
 * rejects out-of-range configs like Google does, so a wrong clamp fails twice: status and body.
 */
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import type { GeminiThinkingConfig } from '../../main/server/providers/gemini/gemini-types';
import { type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls, onlyGenerateBody } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started));

describe('JSON mode', () => {
  it('json_object → responseMimeType application/json, and the JSON text comes back as content', async () => {
    const answer = '{"ok":true,"items":[1,2,3]}';
    fake.script(() => ({ kind: 'text', text: answer }));
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'Reply in JSON.' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(res.choices[0]?.message.content ?? '')).toEqual({ ok: true, items: [1, 2, 3] });
    const config = onlyGenerateBody(fake).generationConfig;
    expect(config?.responseMimeType).toBe('application/json');
    expect(config?.responseJsonSchema).toBeUndefined();
    expect(config?.responseSchema).toBeUndefined();
  });

  it('json_schema (strict, additionalProperties false, nullable type arrays) → responseJsonSchema unchanged', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Full name' },
        age: { type: ['integer', 'null'] },
        address: {
          type: 'object',
          properties: { city: { type: 'string' }, zip: { type: ['string', 'null'] } },
          required: ['city', 'zip'],
          additionalProperties: false,
        },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      },
      required: ['name', 'age', 'address', 'tags'],
      additionalProperties: false,
    };
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Extract the person.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...schema },
        },
      },
    });
    const config = onlyGenerateBody(fake).generationConfig;
    expect(config?.responseMimeType).toBe('application/json');
    // `$schema` is the one keyword Gemini refuses; everything strict mode needs is kept as is.
    expect(config?.responseJsonSchema).toEqual(schema);
    expect(config?.responseSchema).toBeUndefined();
  });
});

describe('sampling fields a model would refuse', () => {
  // NextChat and SillyTavern always send their penalty sliders; SillyTavern can ask for logprobs.
  const clientKnobs = {
    messages: [{ role: 'user' as const, content: 'Hi' }],
    presence_penalty: 0.5,
    frequency_penalty: 0.3,
    logprobs: true,
    top_logprobs: 5,
  };

  it('2.5 and later: penalties and logprobs are left out, so the answer comes (with logprobs null)', async () => {
    const res = await gw.openai.chat.completions.create({ model: 'gemini-2.5-pro', ...clientKnobs });
    expect(res.choices[0]?.message.content).toBe('Echo: Hi');
    expect(res.choices[0]?.logprobs).toBeNull();
    const config = onlyGenerateBody(fake).generationConfig ?? {};
    for (const key of ['presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs']) {
      expect(config).not.toHaveProperty(key);
    }
  });

  it('2.0 models take the penalties', async () => {
    await gw.openai.chat.completions.create({ model: 'gemini-2.0-flash', ...clientKnobs });
    const config = onlyGenerateBody(fake).generationConfig;
    expect(config).toMatchObject({ presencePenalty: 0.5, frequencyPenalty: 0.3 });
    expect(config?.responseLogprobs).toBeUndefined();
  });
});

describe('thinking', () => {
  const thinkingOf = (): GeminiThinkingConfig | undefined =>
    onlyGenerateBody(fake).generationConfig?.thinkingConfig;

  type Case = [
    label: string,
    params: Partial<ChatCompletionCreateParamsNonStreaming> & { model: string },
    upstream: string,
    expected: GeminiThinkingConfig | undefined,
  ];

  const cases: Case[] = [
    // Gemini 2.5 Flash: budgets 0..24576, can switch thinking off.
    [
      '2.5 flash -nothinking',
      { model: 'gemini-2.5-flash-nothinking' },
      'gemini-2.5-flash',
      { thinkingBudget: 0 },
    ],
    [
      '2.5 flash -maxthinking',
      { model: 'gemini-2.5-flash-maxthinking' },
      'gemini-2.5-flash',
      { thinkingBudget: 24576, includeThoughts: true },
    ],
    [
      '2.5 flash -thinking-2048',
      { model: 'gemini-2.5-flash-thinking-2048' },
      'gemini-2.5-flash',
      { thinkingBudget: 2048, includeThoughts: true },
    ],
    [
      '2.5 flash -thinking-99999 (clamped)',
      { model: 'gemini-2.5-flash-thinking-99999' },
      'gemini-2.5-flash',
      { thinkingBudget: 24576, includeThoughts: true },
    ],
    [
      '2.5 flash effort low',
      { model: 'gemini-2.5-flash', reasoning_effort: 'low' },
      'gemini-2.5-flash',
      { thinkingBudget: 1024, includeThoughts: true },
    ],
    [
      '2.5 flash effort none',
      { model: 'gemini-2.5-flash', reasoning_effort: 'none' },
      'gemini-2.5-flash',
      { thinkingBudget: 0 },
    ],
    [
      '2.5 flash suffix beats effort',
      { model: 'gemini-2.5-flash-nothinking', reasoning_effort: 'high' },
      'gemini-2.5-flash',
      { thinkingBudget: 0 },
    ],
    // Gemini 2.5 Pro: 128..32768, cannot switch thinking off.
    [
      '2.5 pro -nothinking (floor)',
      { model: 'gemini-2.5-pro-nothinking' },
      'gemini-2.5-pro',
      { thinkingBudget: 128, includeThoughts: true },
    ],
    [
      '2.5 pro -maxthinking',
      { model: 'gemini-2.5-pro-maxthinking' },
      'gemini-2.5-pro',
      { thinkingBudget: 32768, includeThoughts: true },
    ],
    [
      '2.5 pro -thinking-50 (clamped up)',
      { model: 'gemini-2.5-pro-thinking-50' },
      'gemini-2.5-pro',
      { thinkingBudget: 128, includeThoughts: true },
    ],
    [
      '2.5 pro effort high',
      { model: 'gemini-2.5-pro', reasoning_effort: 'high' },
      'gemini-2.5-pro',
      { thinkingBudget: 24576, includeThoughts: true },
    ],
    // Gemini 3 Pro: levels LOW and HIGH only.
    [
      '3 pro -nothinking',
      { model: 'gemini-3-pro-preview-nothinking' },
      'gemini-3-pro-preview',
      { thinkingLevel: 'LOW', includeThoughts: true },
    ],
    [
      '3 pro -maxthinking',
      { model: 'gemini-3-pro-preview-maxthinking' },
      'gemini-3-pro-preview',
      { thinkingLevel: 'HIGH', includeThoughts: true },
    ],
    [
      '3 pro -thinking-2048 (no MEDIUM: up to HIGH)',
      { model: 'gemini-3-pro-preview-thinking-2048' },
      'gemini-3-pro-preview',
      { thinkingLevel: 'HIGH', includeThoughts: true },
    ],
    [
      '3 pro -thinking-512',
      { model: 'gemini-3-pro-preview-thinking-512' },
      'gemini-3-pro-preview',
      { thinkingLevel: 'LOW', includeThoughts: true },
    ],
    [
      '3 pro effort minimal',
      { model: 'gemini-3-pro-preview', reasoning_effort: 'minimal' },
      'gemini-3-pro-preview',
      { thinkingLevel: 'LOW', includeThoughts: true },
    ],
    [
      '3 pro effort medium',
      { model: 'gemini-3-pro-preview', reasoning_effort: 'medium' },
      'gemini-3-pro-preview',
      { thinkingLevel: 'HIGH', includeThoughts: true },
    ],
    // Gemini 3 Flash: MINIMAL..HIGH.
    [
      '3 flash effort minimal',
      { model: 'gemini-3-flash-preview', reasoning_effort: 'minimal' },
      'gemini-3-flash-preview',
      { thinkingLevel: 'MINIMAL', includeThoughts: true },
    ],
    [
      '3 flash -thinking-2048',
      { model: 'gemini-3-flash-preview-thinking-2048' },
      'gemini-3-flash-preview',
      { thinkingLevel: 'MEDIUM', includeThoughts: true },
    ],
    // A model that does not think gets no thinkingConfig at all (Gemini answers 400 to one).
    [
      '2.0 flash effort high',
      { model: 'gemini-2.0-flash', reasoning_effort: 'high' },
      'gemini-2.0-flash',
      undefined,
    ],
  ];

  it.each(cases)('%s', async (_label, params, upstream, expected) => {
    const res = await gw.openai.chat.completions.create({
      messages: [{ role: 'user', content: 'Think about it.' }],
      ...params,
    });
    expect(res.model).toBe(params.model);
    expect(res.choices[0]?.message.content).toBe('Echo: Think about it.');
    expect(generateCalls(fake)[0]?.model).toBe(upstream);
    expect(thinkingOf()).toEqual(expected);
  });

  it('extra_body.google.thinking_config wins over the suffix and can hide thoughts', async () => {
    const params: ChatCompletionCreateParamsNonStreaming & { extra_body: unknown } = {
      model: 'gemini-2.5-flash-maxthinking',
      messages: [{ role: 'user', content: 'budget from extra_body' }],
      extra_body: { google: { thinking_config: { thinking_budget: 3000, include_thoughts: false } } },
    };
    const res = await gw.openai.chat.completions.create(params);
    expect(thinkingOf()).toEqual({ thinkingBudget: 3000 });
    expect((res.choices[0]?.message as { reasoning_content?: string }).reasoning_content).toBeUndefined();
  });

  it('a thinking level in extra_body (flattened `google`, camelCase) reaches a Gemini 3 model', async () => {
    const params: ChatCompletionCreateParamsNonStreaming & { google: unknown } = {
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'level from extra_body' }],
      google: { thinkingConfig: { thinkingLevel: 'low' } },
    };
    await gw.openai.chat.completions.create(params);
    expect(thinkingOf()).toEqual({ thinkingLevel: 'LOW', includeThoughts: true });
  });
});
