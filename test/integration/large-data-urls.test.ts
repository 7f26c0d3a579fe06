/**
 * Large data URLs take a short cut through the gateway (large-data-urls.ts): cut out of the raw body,
 * never parsed, written upstream as the bytes received. Whatever the cut does, Gemini must receive
 * exactly what the client sent, and the client must get the same answers as without the cut —
 * including the odd bodies where the cut gives way to a full parse. Real gateway, real sockets, the
 * openai SDK and the fake Gemini (which checks base64 the way Gemini does).
 */
import { describe, expect, it } from 'vitest';
import { parseChatRequest, prepareChat, TokenOutsideInlineData } from '../../main/server/chat/prepare-chat';
import { ByteRope } from '../../main/server/byte-rope';
import { cutLargeDataUrls } from '../../main/server/large-data-urls';
import { type FakeGemini } from '../fakes/fake-gemini';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

const MODEL = 'gemini-2.5-flash';
/** Well above the 256 KiB cut threshold, small enough to keep the suite quick. */
const bytes = (fill: number, n = 600 * 1024) => Buffer.alloc(n, fill).map((b, i) => (b + i) & 0xff);
const b64 = (fill: number) => Buffer.from(bytes(fill)).toString('base64');

interface SentPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
}
let fake: FakeGemini;
let gw: TestGateway;

const sentParts = (): SentPart[] => {
  const calls = fake.requests.filter((r) => r.action?.endsWith('enerateContent'));
  expect(calls).toHaveLength(1);
  const body = calls[0]!.body as { contents: { parts: SentPart[] }[] };
  return body.contents.flatMap((c) => c.parts);
};

async function post(
  body: string,
): Promise<{ status: number; json: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.settings.get().password}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: (await res.json()) as never };
}

gatewayPerFile((started) => ({ fake, gw } = started));

describe('large data URLs', () => {
  it('sends every large image and file upstream exactly as the client encoded it', async () => {
    const [a, b, pdf] = [b64(1), b64(2), b64(3)];
    const completion = await gw.openai.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${a}` } },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${b}`, detail: 'high' } },
            { type: 'file', file: { file_data: `data:application/pdf;base64,${pdf}`, filename: 'x.pdf' } },
          ],
        },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    const inline = sentParts().flatMap((p) => (p.inlineData ? [p.inlineData] : []));
    expect(inline.map((d) => d.mimeType)).toEqual(['image/png', 'image/jpeg', 'application/pdf']);
    expect(inline.map((d) => d.data === a || d.data === b || d.data === pdf)).toEqual([true, true, true]);
    expect(inline[0]!.data === a && inline[1]!.data === b && inline[2]!.data === pdf).toBe(true);
  });

  it('streams an answer about a large image', async () => {
    const image = b64(4);
    const stream = await gw.openai.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe it.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${image}` } },
          ],
        },
      ],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('Describe it.');
    expect(sentParts().find((p) => p.inlineData)?.inlineData?.data === image).toBe(true);
  });

  it('sends a data URL that arrived as plain text as that text (the body is parsed in full)', async () => {
    const text = `data:image/png;base64,${b64(5)}`;
    const completion = await gw.openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: text }],
    });
    expect(completion.object).toBe('chat.completion');
    const parts = sentParts();
    expect(parts.some((p) => p.inlineData)).toBe(false);
    expect(parts.map((p) => p.text).join('') === text).toBe(true);
  });

  it('takes JSON escapes in a payload (\\/ for /) through the normal parser', async () => {
    const image = b64(0xff);
    expect(image).toContain('/');
    const body =
      `{"model":"${MODEL}","messages":[{"role":"user","content":[{"type":"text","text":"What?"},` +
      `{"type":"image_url","image_url":{"url":"data:image/png;base64,${image.replaceAll('/', '\\/')}"}}]}]}`;
    const reply = await post(body);
    expect(reply.status, JSON.stringify(reply.json).slice(0, 300)).toBe(200);
    expect(sentParts().find((p) => p.inlineData)?.inlineData?.data === image).toBe(true);
  });

  it.each([
    ['a bad character', (s: string) => `${s.slice(0, 400_000)}*${s.slice(400_001)}`],
    ['the URL-safe alphabet', (s: string) => `${s.slice(0, 400_000)}-${s.slice(400_001)}`],
    ['padding in the middle', (s: string) => `${s.slice(0, 400_000)}=${s.slice(400_001)}`],
  ])('refuses a large payload with %s like a small one, before any upstream call', async (_name, spoil) => {
    const url = `data:image/png;base64,${spoil(b64(6))}`;
    const reply = await post(
      JSON.stringify({
        model: MODEL,
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
      }),
    );
    const small = await post(
      JSON.stringify({
        model: MODEL,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,*AAA' } }],
          },
        ],
      }),
    );
    expect(reply.status).toBe(400);
    expect(reply.json.error?.code).toBe('invalid_image_url');
    expect(reply.json.error?.message).toBe(small.json.error?.message);
    expect(fake.requests.filter((r) => r.action?.endsWith('enerateContent'))).toHaveLength(0);
  });

  it('takes line-wrapped base64 (the normal parser drops the line breaks)', async () => {
    const image = b64(7);
    const wrapped = image.replace(/(.{76})/g, '$1\r\n');
    const reply = await post(
      JSON.stringify({
        model: MODEL,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${wrapped}` } }],
          },
        ],
      }),
    );
    expect(reply.status).toBe(200);
    expect(sentParts().find((p) => p.inlineData)?.inlineData?.data === image).toBe(true);
  });
});

/** The answers above are the same with or without the cut; these check the cut is really taken. */
describe('the cut itself', () => {
  const prepare = async (body: unknown) => {
    const cut = cutLargeDataUrls(new ByteRope([Buffer.from(JSON.stringify(body))]))!;
    expect(cut).toBeDefined();
    const chat = parseChatRequest(JSON.parse(cut.json.toString()));
    const prepared = await prepareChat(
      gw.core,
      chat,
      'http://gw',
      { signal: new AbortController().signal, owner: true },
      cut.payloads,
    );
    return { cut, prepared };
  };

  it('writes the received bytes themselves into the upstream body', async () => {
    const image = b64(8);
    const { cut, prepared } = await prepare({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${image}` } }],
        },
      ],
    });
    const [payload] = cut.payloads.values();
    expect(Array.isArray(prepared.body)).toBe(true);
    expect(payload).toHaveLength(1);
    expect((prepared.body as unknown[]).includes(payload![0])).toBe(true);
  });

  it('gives way when a token would reach Gemini as text', async () => {
    await expect(
      prepare({ model: MODEL, messages: [{ role: 'user', content: `data:image/png;base64,${b64(9)}` }] }),
    ).rejects.toBeInstanceOf(TokenOutsideInlineData);
  });
});
