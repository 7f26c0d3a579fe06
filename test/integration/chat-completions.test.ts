/**
 * POST /v1/chat/completions end to end, driven by the official openai SDK: plain answers streamed
 * and not, the exact SSE bytes, usage (with and without `stream_options.include_usage`), and the
 * finish reasons of blocked, filtered and truncated answers.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import type { GeminiGenerateContentRequest } from '../../main/server/providers/gemini/gemini-types';
import { DEFAULT_FAKE_KEY, type FakeGemini } from '../fakes/fake-gemini';
import { countPromptTokens, textTokens } from '../fakes/fake-gemini/tokens';
import { onlyGenerateBody } from '../support/fake-requests';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';
import { chunksOf, contentOf, parseOpenAISse, postChat, reasoningOf } from '../support/openai-sse';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started));

type WithReasoning = { reasoning_content?: string };

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const deltaText = (chunks: ChatCompletionChunk[]) =>
  chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('non-stream', () => {
  it('answers with the upstream text, the requested model and finish_reason stop', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe('gemini-2.0-flash');
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]?.message.role).toBe('assistant');
    expect(res.choices[0]?.message.content).toBe('Echo: What is the capital of France?');
    expect(res.choices[0]?.finish_reason).toBe('stop');

    const body = onlyGenerateBody(fake);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'What is the capital of France?' }] }]);
    const call = fake.requests[0]!;
    expect(call.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(call.key).toBe(DEFAULT_FAKE_KEY);
  });

  it('reports usage with reasoning tokens that match what the upstream counted', async () => {
    fake.script(() => ({ kind: 'text', chunks: 1 }));
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'count my tokens please' }],
    });
    const message = res.choices[0]!.message as (typeof res.choices)[0]['message'] & WithReasoning;
    const content = message.content ?? '';
    const reasoning = message.reasoning_content ?? '';
    expect(content).toBe('Echo: count my tokens please');
    expect(reasoning).toContain('count my tokens please');

    const prompt = countPromptTokens(onlyGenerateBody(fake)).total;
    const usage = res.usage!;
    expect(usage.prompt_tokens).toBe(prompt);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(textTokens(reasoning));
    expect(usage.completion_tokens).toBe(textTokens(content) + textTokens(reasoning));
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it('counts hidden thinking as reasoning tokens when thoughts are not returned', async () => {
    gw.settings.update({ includeThoughts: false });
    try {
      const res = await gw.openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'think quietly' }],
      });
      const message = res.choices[0]!.message as WithReasoning & { content: string | null };
      expect(message.reasoning_content).toBeUndefined();
      expect(message.content).toBe('Echo: think quietly');
      expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
      expect(onlyGenerateBody(fake).generationConfig?.thinkingConfig?.includeThoughts).toBeUndefined();
    } finally {
      gw.settings.update({ includeThoughts: true });
    }
  });
});

describe('stream through the SDK', () => {
  it('sends a role chunk, the content in several deltas and a finish chunk', async () => {
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'stream this answer' }],
      stream: true,
    });
    const chunks = await collect(stream);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '');
    expect(contentChunks.length).toBeGreaterThan(1);
    expect(deltaText(chunks)).toBe('Echo: stream this answer');
    const last = chunks.at(-1)!;
    expect(last.choices[0]?.finish_reason).toBe('stop');
    expect(last.choices[0]?.delta).toEqual({});
    expect(chunks.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gemini-2.0-flash')).toBe(
      true,
    );
    expect(fake.requests[0]?.action).toBe('streamGenerateContent');
    expect(fake.requests[0]?.query['alt']).toBe('sse');
  });

  it('streams reasoning as reasoning_content deltas, never inside content', async () => {
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'think then answer' }],
      stream: true,
    });
    const chunks = await collect(stream);
    const reasoning = chunks
      .map((c) => (c.choices[0]?.delta as WithReasoning | undefined)?.reasoning_content ?? '')
      .join('');
    expect(reasoning).toContain('**Considering the request**');
    expect(reasoning).toContain('think then answer');
    expect(deltaText(chunks)).toBe('Echo: think then answer');
    // Reasoning comes first and in chunks of its own.
    const firstReasoning = chunks.findIndex((c) => (c.choices[0]?.delta as WithReasoning).reasoning_content);
    const firstContent = chunks.findIndex((c) => c.choices[0]?.delta.content);
    expect(firstReasoning).toBeGreaterThan(0);
    expect(firstReasoning).toBeLessThan(firstContent);
  });

  it('returns reasoning_content in the non-stream message, apart from content', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'why is the sky blue' }],
    });
    const message = res.choices[0]!.message as WithReasoning & { content: string | null };
    expect(message.reasoning_content).toContain('**Considering the request**');
    expect(message.content).toBe('Echo: why is the sky blue');
    expect(message.content).not.toContain('Considering');
  });
});

describe('raw SSE bytes', () => {
  it('frames every event as `data: …\\n\\n`, with text/event-stream and [DONE] last', async () => {
    const reply = await postChat(
      gw,
      {
        model: 'gemini-2.0-flash',
        messages: [{ role: 'user', content: 'raw bytes please' }],
        stream: true,
      },
      { headers: { origin: 'https://chat.example' } },
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/event-stream\b/);
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    // The stream is written on the raw response: headers from hooks (CORS) must still be there.
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const blocks = parseOpenAISse(reply.text);
    expect(blocks.every((b) => b.raw.startsWith('data: '))).toBe(true);
    expect(blocks.filter((b) => b.data === '[DONE]')).toHaveLength(1);
    const chunks = chunksOf(reply.text);
    expect(contentOf(chunks)).toBe('Echo: raw bytes please');
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('with include_usage: usage null on every chunk, then a choices-free usage chunk before [DONE]', async () => {
    const reply = await postChat(gw, {
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'usage in a stream' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = chunksOf(reply.text);
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    const usage = usageChunk.usage!;
    expect(usage).toBeTruthy();
    const before = chunks.slice(0, -1);
    expect(before.every((c) => c.usage === null)).toBe(true);
    expect(before.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    const reasoning = reasoningOf(chunks);
    expect(usage.prompt_tokens).toBe(countPromptTokens(onlyGenerateBody(fake)).total);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(textTokens(reasoning));
    expect(usage.completion_tokens).toBeGreaterThanOrEqual(
      textTokens(contentOf(chunks)) + textTokens(reasoning),
    );
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it('the SDK sees the usage chunk too', async () => {
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'sdk usage' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(withUsage[0]).toBe(chunks.at(-1));
    expect(withUsage[0]?.usage?.prompt_tokens).toBeGreaterThan(0);
  });
});

describe('several choices (n = 2)', () => {
  it('non-stream: one message per candidate, with its own index', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      n: 2,
      messages: [{ role: 'user', content: 'two takes' }],
    });
    expect(res.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'Echo: two takes', 'stop'],
      [1, 'Echo: two takes (candidate 2)', 'stop'],
    ]);
    expect(onlyGenerateBody(fake).generationConfig?.candidateCount).toBe(2);
  });

  it('stream: interleaved chunks per index, a finish for each, then one usage chunk', async () => {
    const reply = await postChat(gw, {
      model: 'gemini-2.5-flash',
      n: 2,
      messages: [{ role: 'user', content: 'two takes' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = chunksOf(reply.text);
    const text: string[] = ['', ''];
    const finishes: string[][] = [[], []];
    for (const chunk of chunks) {
      for (const choice of chunk.choices) {
        text[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason) finishes[choice.index]?.push(choice.finish_reason);
      }
    }
    expect(text).toEqual(['Echo: two takes', 'Echo: two takes (candidate 2)']);
    expect(finishes).toEqual([['stop'], ['stop']]);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
  });
});

describe('finish reasons', () => {
  it('a blocked prompt is a 200 with finish_reason content_filter (non-stream)', async () => {
    fake.script(() => ({ kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' }));
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'something forbidden' }],
    });
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]?.finish_reason).toBe('content_filter');
    expect(res.choices[0]?.message.content ?? '').toBe('');
  });

  it('a blocked prompt ends the stream with content_filter', async () => {
    fake.script(() => ({ kind: 'blocked', blockReason: 'SAFETY' }));
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'something forbidden' }],
      stream: true,
    });
    const chunks = chunksOf(reply.text);
    const finishes = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter((f) => f !== null);
    expect(finishes).toEqual(['content_filter']);
    expect(contentOf(chunks)).toBe('');
  });

  it('SAFETY in the middle of a stream keeps the text sent so far and finishes with content_filter', async () => {
    fake.script(() => ({ kind: 'safetyMidStream' }));
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'start harmless' }],
      stream: true,
    });
    const chunks = await collect(stream);
    expect(deltaText(chunks)).toBe('Echo: start harmless');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('MAX_TOKENS with nothing visible is finish_reason length (non-stream and stream)', async () => {
    fake.script(() => ({ kind: 'maxTokensEmpty' }));
    // max_completion_tokens (thinking included) is sent as given; max_tokens would get room for
    // the thinking on top (chat-gemini-limits.test.ts).
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'long thinking' }],
      max_completion_tokens: 64,
    });
    expect(res.choices[0]?.finish_reason).toBe('length');
    expect(res.choices[0]?.message.content).toBeNull();
    expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(64);
    const body = fake.requests[0]?.body as GeminiGenerateContentRequest;
    expect(body.generationConfig?.maxOutputTokens).toBe(64);

    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'long thinking' }],
      max_completion_tokens: 64,
      stream: true,
    });
    const chunks = await collect(stream);
    expect(deltaText(chunks)).toBe('');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length');
  });
});
