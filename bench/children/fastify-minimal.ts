/**
 * A reference, not a product: the least a fastify-based OpenAI→Gemini gateway can do per chat
 * request. fastify's own JSON parser, a password compared as plain strings, the two messages mapped
 * by hand to a Gemini body, one undici `request()` upstream, the answer parsed and mapped back, and
 * fastify serialising the reply. No validation, no hooks, no logging, no metrics, no failover.
 * `npm run bench:framework` compares its CPU per request with the forwarder's, to show how much of
 * the budget the framework and the two JSON round trips alone take.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';
import { listenAndReport } from './ipc';

const upstream = process.env.UPSTREAM_URL;
const keys = (process.env.GEMINI_API_KEYS ?? '').split(',');
const password = process.env.PASSWORD;
if (!upstream || !password || !keys[0])
  throw new Error('UPSTREAM_URL, GEMINI_API_KEYS and PASSWORD are required');

const pool = new Pool(upstream, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });

interface Chat {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
}
interface Answer {
  candidates: { content: { parts: { text?: string }[] }; finishReason?: string }[];
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number };
}

let next = 0;
const app = Fastify({ logger: false });
app.post('/v1/chat/completions', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${password}`) return reply.code(401).send({ error: 'auth' });
  const chat = request.body as Chat;
  const system = chat.messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
  const body = JSON.stringify({
    contents: chat.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    ...(system.length ? { systemInstruction: { parts: system } } : {}),
    generationConfig: { temperature: chat.temperature, maxOutputTokens: chat.max_tokens },
  });
  const res = await pool.request({
    path: `/v1beta/models/${chat.model}:generateContent`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': keys[next++ % keys.length]! },
    body,
  });
  const answer = JSON.parse(await res.body.text()) as Answer;
  const candidate = answer.candidates[0];
  const usage = answer.usageMetadata ?? {};
  return {
    id: `chatcmpl-${next}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: (candidate?.content.parts ?? []).map((p) => p.text ?? '').join(''),
        },
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: usage.promptTokenCount ?? 0,
      completion_tokens: usage.candidatesTokenCount ?? 0,
      total_tokens: usage.totalTokenCount ?? 0,
    },
  };
});
app.ready().then(
  () => listenAndReport(app.server),
  (err: unknown) => {
    process.stderr.write(`fastify-minimal: ${String(err)}\n`);
    process.exit(1);
  },
);
