/**
 * Gemini's SSE framing in, OpenAI's out: the fake writes CRLF or LF line endings, and with
 * `splitWrites` cuts every event at awkward byte offsets (inside UTF-8 sequences, between `\r` and
 * `\n`). Whatever the upstream framing, the client must get the same clean `data: …\n\n` stream with
 * multi-byte text intact.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FAKE_KEY,
  startFakeGemini,
  type FakeGemini,
  type FakeGeminiOptions,
} from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { chunksOf, contentOf, postChat, reasoningOf } from '../support/openai-sse';

// CJK, a combining sequence, emoji outside the BMP (surrogate pairs) and a ZWJ family.
const PROMPT = '你好，世界！请用中文回答 🌍🚀 café naïve 👨‍👩‍👧 — 結束';
const ANSWER = `Echo: ${PROMPT}`;

const framings: [string, FakeGeminiOptions][] = [
  ['CRLF', { sseLineEnding: '\r\n' }],
  ['LF', { sseLineEnding: '\n' }],
  ['CRLF with split writes', { sseLineEnding: '\r\n', splitWrites: true }],
  ['LF with split writes', { sseLineEnding: '\n', splitWrites: true }],
];

describe.each(framings)('upstream framing: %s', (_name, options) => {
  let fake: FakeGemini;
  let gw: TestGateway;

  beforeAll(async () => {
    fake = await startFakeGemini(options);
    gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
  });
  afterAll(async () => {
    await fake.close();
    await gw.close();
  });

  it('reassembles text, reasoning and multi-byte characters exactly (raw bytes)', async () => {
    fake.script(() => ({ kind: 'text', chunks: 9 }));
    const reply = await postChat(gw, {
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // No replacement characters: every UTF-8 sequence split upstream was put back together.
    expect(reply.text).not.toContain('\uFFFD');
    const chunks = chunksOf(reply.text);
    expect(contentOf(chunks)).toBe(ANSWER);
    expect(reasoningOf(chunks)).toContain(PROMPT);
    // One OpenAI chunk per upstream text piece: the stream was not buffered into one.
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(9);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('the SDK sees the same content', async () => {
    fake.script(() => ({ kind: 'text', chunks: 5 }));
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(ANSWER);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('a long answer in many events arrives complete and in order', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `第${i}段🙂`).join(' ');
    fake.script(() => ({ kind: 'text', text, chunks: 40 }));
    const reply = await postChat(gw, {
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'long one' }],
      stream: true,
    });
    expect(contentOf(chunksOf(reply.text))).toBe(text);
  });
});
