import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../main/server/openai/chat-response';
import type {
  GeminiGenerateContentResponse,
  GeminiPart,
} from '../../../main/server/providers/gemini/gemini-types';
import { GeminiStreamTransformer } from '../../../main/server/providers/gemini/stream-transform';
import { TEST_CREATED, testResponseContext } from './test-response-context';

const transformer = (includeUsage = false) =>
  new GeminiStreamTransformer({ ...testResponseContext('gemini-2.5-flash'), includeUsage });

const chunkOf = (parts: GeminiPart[] | undefined, finishReason?: string): GeminiGenerateContentResponse => ({
  candidates: [{ content: parts ? { role: 'model', parts } : { role: 'model' }, index: 0, finishReason }],
});

describe('GeminiStreamTransformer.hasVisibleOutput', () => {
  it('stays false through role-only, empty-text and thought-image chunks, turns true on text', () => {
    const t = transformer();
    expect(t.hasVisibleOutput).toBe(false);
    expect(t.push(chunkOf(undefined))).toHaveLength(1); // the role chunk
    expect(t.hasVisibleOutput).toBe(false);
    t.push(chunkOf([{ text: '' }, { text: '', thoughtSignature: 'c2ln' }]));
    t.push(chunkOf([{ inlineData: { mimeType: 'image/png', data: 'eA==' }, thought: true }]));
    expect(t.hasVisibleOutput).toBe(false);
    t.push(chunkOf([{ text: 'Hi' }]));
    expect(t.hasVisibleOutput).toBe(true);
    t.push(chunkOf([], 'STOP'));
    t.end();
    expect(t.hasVisibleOutput).toBe(true);
  });

  it.each<[string, GeminiPart]>([
    ['reasoning', { text: 'hmm', thought: true }],
    ['a tool call', { functionCall: { name: 'f', args: {} } }],
    ['an image', { inlineData: { mimeType: 'image/jpeg', data: 'eA==' } }],
    ['code', { executableCode: { code: 'print(1)' } }],
  ])('turns true on %s', (_what, part) => {
    const t = transformer();
    t.push(chunkOf(undefined));
    expect(t.hasVisibleOutput).toBe(false);
    t.push(chunkOf([part]));
    expect(t.hasVisibleOutput).toBe(true);
  });

  it('stays false for a blocked prompt', () => {
    const t = transformer(true);
    expect(t.push({ promptFeedback: { blockReason: 'SAFETY' } })).toHaveLength(1);
    expect(t.hasVisibleOutput).toBe(false);
    expect(t.end().truncated).toBe(false);
  });
});

describe('GeminiStreamTransformer.usage', () => {
  it('follows the last usageMetadata seen (Gemini counts are cumulative)', () => {
    const t = transformer();
    expect(t.usage.total_tokens).toBe(0);
    t.push({ ...chunkOf([{ text: 'a' }]), usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 } });
    expect(t.usage.total_tokens).toBe(6);
    t.push(chunkOf([{ text: 'b' }])); // a chunk without usage keeps the previous numbers
    expect(t.usage.total_tokens).toBe(6);
    t.push({
      ...chunkOf([{ text: 'c' }], 'STOP'),
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, thoughtsTokenCount: 4 },
    });
    expect(t.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 });
    expect(t.usage.completion_tokens_details?.reasoning_tokens).toBe(4);
  });
});

describe('GeminiStreamTransformer chunk envelope', () => {
  const run = (includeUsage: boolean): ChatCompletionChunk[] => {
    const t = transformer(includeUsage);
    const out = [
      ...t.push(chunkOf([{ text: 'a', thought: true }])),
      ...t.push(chunkOf([{ text: 'b' }, { functionCall: { name: 'f' } }])),
      ...t.push({ ...chunkOf([{ text: 'c' }], 'STOP'), usageMetadata: { promptTokenCount: 1 } }),
    ];
    return [...out, ...t.end().chunks];
  };

  it('puts the same id, created, model and fingerprint on every chunk, and logprobs null on every choice', () => {
    for (const includeUsage of [false, true]) {
      const chunks = run(includeUsage);
      expect(chunks.length).toBe(includeUsage ? 7 : 6);
      for (const chunk of chunks) {
        expect(chunk).toMatchObject({
          id: 'chatcmpl-test',
          object: 'chat.completion.chunk',
          created: TEST_CREATED,
          model: 'gemini-2.5-flash',
          system_fingerprint: 'fp_gemgate',
        });
        for (const choice of chunk.choices) expect(choice.logprobs).toBeNull();
      }
    }
  });

  it('without include_usage has no usage key at all', () => {
    for (const chunk of run(false)) expect(chunk).not.toHaveProperty('usage');
  });

  it('with include_usage has usage null everywhere except the final choices-less usage chunk', () => {
    const chunks = run(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 1, total_tokens: 1 });
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
  });
});

describe('GeminiStreamTransformer.end', () => {
  it('reports truncation when no finishReason came, even after plenty of output', () => {
    const t = transformer(true);
    t.push(chunkOf([{ text: 'one' }]));
    t.push({ ...chunkOf([{ functionCall: { name: 'f' } }]), usageMetadata: { promptTokenCount: 3 } });
    expect(t.end()).toEqual({ chunks: [], truncated: true });
  });

  it('reports truncation for a stream without any chunk', () => {
    expect(transformer().end()).toEqual({ chunks: [], truncated: true });
  });

  it('numbers tool calls per candidate', () => {
    const t = transformer();
    const out = t.push({
      candidates: [
        { content: { parts: [{ functionCall: { name: 'a' } }, { functionCall: { name: 'b' } }] }, index: 0 },
        { content: { parts: [{ functionCall: { name: 'c' } }] }, index: 1, finishReason: 'STOP' },
      ],
    });
    const calls = out.flatMap((chunk) =>
      chunk.choices.flatMap((choice) =>
        (choice.delta.tool_calls ?? []).map((call) => [choice.index, call.index, call.id]),
      ),
    );
    expect(calls).toEqual([
      [0, 0, 'call_test_1'],
      [0, 1, 'call_test_2'],
      [1, 0, 'call_test_3'],
    ]);
    // Candidate 0 never got a finishReason of its own, but it made calls: it ends as tool_calls too.
    expect(t.end().chunks.map((chunk) => chunk.choices[0]!.finish_reason)).toEqual([
      'tool_calls',
      'tool_calls',
    ]);
  });
});
