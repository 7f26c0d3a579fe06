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
import { minimalConfig, toCompletion, toGeminiBody, type MinimalChat } from './minimal-mapping';

const { upstream, keys, password } = minimalConfig();
const pool = new Pool(upstream, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });

let next = 0;
const app = Fastify({ logger: false });
app.post('/v1/chat/completions', async (request, reply) => {
  if (request.headers.authorization !== `Bearer ${password}`) return reply.code(401).send({ error: 'auth' });
  const chat = request.body as MinimalChat;
  const res = await pool.request({
    path: `/v1beta/models/${chat.model}:generateContent`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': keys[next++ % keys.length]! },
    body: toGeminiBody(chat),
  });
  return toCompletion(chat, await res.body.text(), next);
});
app.ready().then(
  () => listenAndReport(app.server),
  (err: unknown) => {
    process.stderr.write(`fastify-minimal: ${String(err)}\n`);
    process.exit(1);
  },
);
