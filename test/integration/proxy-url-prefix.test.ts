/**
 * PROXY_URL with a path (a relay such as `https://relay.example.com/gemini`, as users of the Python
 * proxy point it at): every upstream call keeps the prefix, chat and stream alike, and a change of
 * PROXY_URL applies to the next request. The relay here is a plain Node server that strips its prefix
 * and forwards to the fake Gemini, recording what it saw.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamBase } from '../../main/server/upstream/upstream-http';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';

let fake: FakeGemini;
let relay: Server;
let relayUrl: string;
const seen: string[] = [];
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeGemini();
  relay = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push(path);
    if (!path.startsWith('/gemini/')) {
      res.writeHead(404).end();
      return;
    }
    void request(`${fake.url}${path.slice('/gemini'.length)}`, {
      method: req.method as 'POST',
      headers: req.headers,
      body: req,
    }).then(
      (upstream) => {
        res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type']) });
        upstream.body.pipe(res);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  gw = await startGateway({ upstreamUrl: `${relayUrl}/gemini/`, keys: [DEFAULT_FAKE_KEY] });
});
afterAll(async () => {
  await gw.close();
  await new Promise((resolve) => relay.close(resolve));
  await fake.close();
});

describe('PROXY_URL with a path prefix', () => {
  it('chat and streamed chat go through the prefix', async () => {
    seen.length = 0;
    const reply = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'through the relay' }],
    });
    expect(reply.choices[0]?.message.content).toContain('through the relay');
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      stream: true,
      messages: [{ role: 'user', content: 'streamed through the relay' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('streamed through the relay');
    expect(seen).toEqual(
      expect.arrayContaining([
        '/gemini/v1beta/models/gemini-2.5-flash:generateContent',
        '/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      ]),
    );
    expect(seen.every((path) => path.startsWith('/gemini/v1beta/'))).toBe(true);
  });

  it('a changed PROXY_URL applies to the next request', async () => {
    seen.length = 0;
    gw.settings.update({ proxyUrl: fake.url });
    const reply = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'straight to Gemini' }],
    });
    expect(reply.choices[0]?.message.content).toContain('straight to Gemini');
    expect(seen).toEqual([]);
    gw.settings.update({ proxyUrl: `${relayUrl}/gemini` });
  });
});

describe('upstreamBase', () => {
  it('splits origin and path prefix, without trailing slashes', () => {
    expect(upstreamBase('https://relay.example.com/gemini/')).toEqual({
      origin: 'https://relay.example.com',
      prefix: '/gemini',
    });
    expect(upstreamBase('https://generativelanguage.googleapis.com')).toEqual({
      origin: 'https://generativelanguage.googleapis.com',
      prefix: '',
    });
    expect(upstreamBase('http://127.0.0.1:8080/a/b//')).toEqual({
      origin: 'http://127.0.0.1:8080',
      prefix: '/a/b',
    });
  });
});
