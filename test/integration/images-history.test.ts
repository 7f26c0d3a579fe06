/**
 * Editing by conversation (issue "Images" §3): the previous reply's markdown image goes back to
 * Gemini as inlineData, per HISTORY_IMAGE_SUBMIT_TYPE — `last`: only the latest image, `all`: every
 * image, uploaded or generated; the others become the `[image]` marker.
 *
 * Our own images are read from the store, never fetched over HTTP: the gateway lives on 127.0.0.1,
 * which the SSRF guard refuses without REMOTE_FETCH_ALLOWED_HOSTS — left empty here — so an image of
 * ours that reaches Gemini can only have come from the store. A foreign image on the same loopback
 * address is refused by that guard (never requested) and becomes the marker.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OMITTED_IMAGE_MARKER } from '../../main/server/providers/gemini/history-images';
import type { GeminiPart } from '../../main/server/providers/gemini/gemini-types';
import { DEFAULT_FAKE_KEY, makePng, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { startImageServer, type ImageServer } from '../support/image-server';

const UPLOAD = makePng(3);
const UPLOAD_URL = `data:image/png;base64,${UPLOAD.toString('base64')}`;
const b64 = (bytes: Buffer) => bytes.toString('base64');

let fake: FakeGemini;
let gw: TestGateway;
let foreign: ImageServer;

beforeAll(async () => {
  fake = await startFakeGemini();
  foreign = await startImageServer({ '/dog.png': { contentType: 'image/png', bytes: makePng(9) } });
  gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
  expect(gw.settings.get().remoteFetchAllowedHosts).toEqual([]);
});
afterAll(async () => {
  await gw.close();
  await fake.close();
  await foreign.close();
});
beforeEach(() => {
  fake.reset();
  foreign.hits.length = 0;
});

/** Turn 1: the user uploads a photo and asks for a drawing; returns the history up to the reply. */
async function firstTurn(): Promise<{ history: ChatCompletionMessageParam[]; url: string }> {
  const user: ChatCompletionMessageParam = {
    role: 'user',
    content: [
      { type: 'text', text: 'draw a cat like this one' },
      { type: 'image_url', image_url: { url: UPLOAD_URL } },
    ],
  };
  const res = await gw.openai.chat.completions.create({ model: 'gemini-2.5-flash-image', messages: [user] });
  const content = res.choices[0]!.message.content ?? '';
  const url = /!\[image\]\(([^)]+)\)/.exec(content)?.[1] ?? '';
  expect(url.startsWith(`${gw.url}/images/`)).toBe(true);
  fake.reset();
  return { history: [user, { role: 'assistant', content }], url };
}

/** Every part of every content Gemini received in the last call. */
function partsSent(): { role: string | undefined; part: GeminiPart }[] {
  const call = generateCalls(fake).at(-1);
  const body = call?.body as { contents: { role?: string; parts: GeminiPart[] }[] };
  return body.contents.flatMap((c) => c.parts.map((part) => ({ role: c.role, part })));
}
const inlineSent = () =>
  partsSent().flatMap(({ role, part }) => (part.inlineData ? [{ role, data: part.inlineData.data }] : []));
const markersSent = () => partsSent().filter(({ part }) => part.text?.includes(OMITTED_IMAGE_MARKER)).length;

describe('HISTORY_IMAGE_SUBMIT_TYPE', () => {
  it('last: only the previous reply’s image goes back, read from the store; the upload becomes [image]', async () => {
    gw.settings.update({ historyImageSubmitType: 'last' });
    const { history } = await firstTurn();
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [...history, { role: 'user', content: 'make it wear a hat' }],
    });
    expect(inlineSent()).toEqual([{ role: 'model', data: b64(makePng(0)) }]);
    expect(markersSent()).toBe(1);
    expect(partsSent().at(-1)?.part).toEqual({ text: 'make it wear a hat' });
    // The edited picture is a new image of its own.
    expect(res.choices[0]!.message.content).toMatch(/!\[image\]\(http:\/\/127\.0\.0\.1:\d+\/images\//);
  });

  it('all: the uploaded and the generated image both go back; a foreign loopback image is refused by the guard', async () => {
    gw.settings.update({ historyImageSubmitType: 'all' });
    const { history } = await firstTurn();
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [
        ...history,
        { role: 'user', content: 'and this dog?' },
        { role: 'assistant', content: `A dog: ![image](${foreign.url}/dog.png)` },
        { role: 'user', content: 'make them both wear hats' },
      ],
    });
    expect(inlineSent()).toEqual([
      { role: 'user', data: b64(UPLOAD) },
      { role: 'model', data: b64(makePng(0)) },
    ]);
    expect(markersSent()).toBe(1); // the dog
    expect(foreign.hits).toEqual([]);
  });

  it('last with several generated images: only the latest reply’s, the earlier ones as [image]', async () => {
    gw.settings.update({ historyImageSubmitType: 'last' });
    const first = await firstTurn();
    const second = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [...first.history, { role: 'user', content: 'now in blue' }],
    });
    fake.reset();
    fake.script(() => ({ kind: 'text', text: 'Done.' }));
    const secondContent = second.choices[0]!.message.content ?? '';
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [
        ...first.history,
        { role: 'user', content: 'now in blue' },
        { role: 'assistant', content: secondContent },
        { role: 'user', content: 'perfect' },
      ],
    });
    const sent = inlineSent();
    expect(sent).toHaveLength(1);
    // Both replies drew makePng(0); the one sent is the second reply's: the fourth message.
    const body = generateCalls(fake).at(-1)?.body as { contents: { parts: GeminiPart[] }[] };
    expect(body.contents[3]?.parts.some((p) => p.inlineData?.data === b64(makePng(0)))).toBe(true);
    expect(body.contents[1]?.parts.some((p) => p.inlineData !== undefined)).toBe(false);
    expect(markersSent()).toBe(2); // the upload and the first drawing
  });
});
