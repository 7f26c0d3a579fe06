/**
 * The bench's own processes, built and run as `npm run bench` and `npm run bench:framework` run them:
 * the forwarder must pass Gemini bytes through untouched, and the two reference gateways must really
 * convert (an OpenAI client gets Gemini's answer), or the ratios measured against them mean nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, buildDialects, MODEL, PASSWORD } from '../../bench/payloads';
import { buildChildren, spawnChild, stopChild, type Child } from '../../bench/procs';

let work: string;
const children: Child[] = [];
let upstream: Child;
let forwarder: Child;
let references: Record<'fastify-minimal' | 'http-minimal', Child>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gemgate-bench-children-'));
  const bundles = await buildChildren(work);
  const start = async (name: string, file: string, env: Record<string, string>) => {
    const child = await spawnChild(name, file, env);
    children.push(child);
    return child;
  };
  upstream = await start('fake upstream', bundles.fakeUpstream, { STREAM_EVENTS: '3', STREAM_GAP_MS: '5' });
  const env = { UPSTREAM_URL: `http://127.0.0.1:${upstream.port}` };
  forwarder = await start('forwarder', bundles.forwarder, env);
  const referenceEnv = { ...env, GEMINI_API_KEYS: API_KEYS.join(','), PASSWORD };
  references = {
    'fastify-minimal': await start('fastify-minimal', bundles.fastifyMinimal, referenceEnv),
    'http-minimal': await start('http-minimal', bundles.httpMinimal, referenceEnv),
  };
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((child) => stopChild(child)));
  rmSync(work, { recursive: true, force: true });
});

const post = (port: number, path: string, headers: Record<string, string>, body: Buffer) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body });

describe('bench children', () => {
  it('the forwarder answers exactly what the upstream answers, streamed or not', async () => {
    const { gemini } = buildDialects(1024);
    for (const spec of [gemini.chat, gemini.stream]) {
      const direct = await post(upstream.port, spec.path, spec.headers, spec.body);
      const forwarded = await post(forwarder.port, spec.path, spec.headers, spec.body);
      expect(forwarded.status).toBe(200);
      expect(forwarded.headers.get('content-type')).toBe(direct.headers.get('content-type'));
      expect(await forwarded.text()).toBe(await direct.text());
    }
  });

  for (const name of ['fastify-minimal', 'http-minimal'] as const) {
    it(`${name} converts a chat for the openai SDK and refuses a wrong password`, async () => {
      const { port } = references[name];
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: PASSWORD, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What does a reverse proxy do?' },
        ],
      });
      expect(completion.choices[0]?.message.content).toMatch(/^A reverse proxy sits between clients/);
      expect(completion.usage).toEqual({ prompt_tokens: 42, completion_tokens: 60, total_tokens: 102 });

      const stranger = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'wrong', maxRetries: 0 });
      await expect(
        stranger.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
      ).rejects.toMatchObject({ status: 401 });
    });
  }
});
