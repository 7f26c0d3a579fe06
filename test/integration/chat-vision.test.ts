/**
 * Multimodal user content end to end: data URLs (image, audio, file) become `inlineData` at the
 * upstream, and http(s) image URLs are fetched through the SSRF guard — allowed for a private host
 * only when REMOTE_FETCH_ALLOWED_HOSTS names it, refused with a clear 400 otherwise.
 */
import { BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls, onlyGenerateBody } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { startImageServer, type ImageServer } from '../support/image-server';
import { postChat } from '../support/openai-sse';

const PNG = makePng(3);
const PNG_B64 = PNG.toString('base64');
// Not real audio/PDF bytes: only the transport is under test, and Gemini takes base64 as is.
const WAV_B64 = Buffer.from('RIFF....WAVEfmt fake audio bytes').toString('base64');
const PDF_B64 = Buffer.from('%PDF-1.4 fake document').toString('base64');

let fake: FakeGemini;
let gw: TestGateway;
let images: ImageServer;

beforeAll(async () => {
  fake = await startFakeGemini();
  images = await startImageServer({ '/cat.png': { contentType: 'image/png', bytes: PNG } });
  gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
});
afterAll(async () => {
  await fake.close();
  await images.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  images.hits.length = 0;
  gw.settings.update({ remoteFetchAllowedHosts: [] });
});

describe('data URLs', () => {
  it('an image_url data URL reaches the upstream as inlineData, next to the text', async () => {
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}`, detail: 'high' } },
          ],
        },
      ],
    });
    expect(res.choices[0]?.message.content).toBe('Echo: What is in this picture?');
    expect(onlyGenerateBody(fake).contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is in this picture?' },
          { inlineData: { mimeType: 'image/png', data: PNG_B64 } },
        ],
      },
    ]);
  });

  it('input_audio and file data URLs become inlineData with their mime types', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Transcribe and summarise.' },
            { type: 'input_audio', input_audio: { data: WAV_B64, format: 'wav' } },
            {
              type: 'file',
              file: { file_data: `data:application/pdf;base64,${PDF_B64}`, filename: 'a.pdf' },
            },
          ],
        },
      ],
    });
    expect(onlyGenerateBody(fake).contents[0]?.parts).toEqual([
      { text: 'Transcribe and summarise.' },
      { inlineData: { mimeType: 'audio/wav', data: WAV_B64 } },
      { inlineData: { mimeType: 'application/pdf', data: PDF_B64 } },
    ]);
  });

  it('a malformed image data URL is a 400 invalid_image_url without an upstream call', async () => {
    const reply = await postChat(gw, {
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@not base64@@' } }],
        },
      ],
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_image_url' },
    });
    expect(generateCalls(fake)).toHaveLength(0);
  });
});

describe('remote image URLs', () => {
  it('an allow-listed private host is fetched through the guard and inlined', async () => {
    gw.settings.update({ remoteFetchAllowedHosts: ['127.0.0.1'] });
    const url = `${images.url}/cat.png`;
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe the cat.' },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: Describe the cat.');
    expect(images.hits).toEqual(['/cat.png']);
    expect(onlyGenerateBody(fake).contents[0]?.parts).toEqual([
      { text: 'Describe the cat.' },
      { inlineData: { mimeType: 'image/png', data: PNG_B64 } },
    ]);
  });

  it('the same URL without the allow-list is a clear 400 and never reaches Gemini', async () => {
    const url = `${images.url}/cat.png`;
    const error = await gw.openai.chat.completions
      .create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(BadRequestError);
    const apiError = error as BadRequestError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('invalid_image_url');
    expect(apiError.type).toBe('invalid_request_error');
    expect(apiError.message).toContain('127.0.0.1');
    // Refused on the address alone: the private host was not even contacted.
    expect(images.hits).toEqual([]);
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('an allow-listed URL that is not an image is a 400 naming the problem', async () => {
    gw.settings.update({ remoteFetchAllowedHosts: ['127.0.0.1'] });
    const reply = await postChat(gw, {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: `${images.url}/missing.png` } }] },
      ],
    });
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_image_url');
    expect(body.error.message).toContain('HTTP 404');
    expect(images.hits).toEqual(['/missing.png']);
    expect(generateCalls(fake)).toHaveLength(0);
  });
});
