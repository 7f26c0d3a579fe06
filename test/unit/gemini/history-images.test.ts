/** Which earlier images go back to Gemini (HISTORY_IMAGE_SUBMIT_TYPE) and how the others are marked. */
import { describe, expect, it } from 'vitest';
import { chatCompletionRequest } from '../../../main/server/openai/chat-request';
import { toGeminiRequest } from '../../../main/server/providers/gemini/convert-request';
import {
  findImageRefs,
  OMITTED_IMAGE_MARKER,
  resubmittedRemoteRefs,
  splitMarkdownImages,
} from '../../../main/server/providers/gemini/history-images';
import { resolveModel } from '../../../main/server/providers/gemini/resolve-model';

const PNG_A =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG_B =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const conversation = {
  model: 'gemini-2.5-flash-image',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'draw a cat' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_A}` } },
      ],
    },
    {
      role: 'assistant',
      content: 'Here is the cat:\n\n![image](https://gw.example/images/aaa.png)\n\nEnjoy!',
    },
    { role: 'user', content: 'make it wear a hat' },
  ],
};

const convert = (
  mode: 'last' | 'all',
  remote = new Map([['https://gw.example/images/aaa.png', { mimeType: 'image/png', data: PNG_B }]]),
) =>
  toGeminiRequest(chatCompletionRequest.parse(conversation), resolveModel(conversation.model), {
    includeThoughts: false,
    remoteMedia: remote,
    lookupToolCall: () => undefined,
    historyImages: mode,
  }).contents;

describe('markdown images in text', () => {
  it('splits text around http(s) and data image links, leaving other links alone', () => {
    expect(
      splitMarkdownImages(
        'a ![x](https://h/i.png) b ![y](<data:image/png;base64,AA==> "t") c [link](https://h)',
      ),
    ).toEqual([
      { text: 'a ' },
      { imageUrl: 'https://h/i.png' },
      { text: ' b ' },
      { imageUrl: 'data:image/png;base64,AA==' },
      { text: ' c [link](https://h)' },
    ]);
    expect(splitMarkdownImages('![x](javascript:alert(1)) ![y](file:///etc/passwd)')).toEqual([
      { text: '![x](javascript:alert(1)) ![y](file:///etc/passwd)' },
    ]);
  });

  // A backtracking pattern would need minutes on this input and hit the test timeout.
  it('survives hostile input (unclosed links, 400 kB)', { timeout: 5_000 }, () => {
    const hostile = '![' + 'a'.repeat(200_000) + '](' + 'b'.repeat(200_000);
    expect(splitMarkdownImages(hostile)).toEqual([{ text: hostile }]);
    const many = '![a](x'.repeat(50_000);
    expect(splitMarkdownImages(many)).toEqual([{ text: many }]);
  });
});

describe('which images are sent back', () => {
  it('finds user image_url parts and assistant markdown images in order', () => {
    const refs = findImageRefs(chatCompletionRequest.parse(conversation).messages);
    expect(refs.map((r) => [r.message, r.kind])).toEqual([
      [0, 'image_url'],
      [1, 'markdown'],
    ]);
  });

  it('"last" resubmits only the most recent message with images and marks the rest', () => {
    const contents = convert('last');
    expect(contents[0]).toEqual({
      role: 'user',
      parts: [{ text: 'draw a cat' }, { text: OMITTED_IMAGE_MARKER }],
    });
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Here is the cat:\n\n' },
        { inlineData: { mimeType: 'image/png', data: PNG_B } },
        { text: '\n\nEnjoy!' },
      ],
    });
    expect(contents[2]).toEqual({ role: 'user', parts: [{ text: 'make it wear a hat' }] });
  });

  it('"all" resubmits every image', () => {
    const contents = convert('all');
    expect(contents[0]?.parts?.[1]).toEqual({ inlineData: { mimeType: 'image/png', data: PNG_A } });
    expect(contents[1]?.parts?.[1]).toEqual({ inlineData: { mimeType: 'image/png', data: PNG_B } });
  });

  it('an old reply image that could not be fetched becomes the marker, not an error', () => {
    const contents = convert('last', new Map());
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [{ text: `Here is the cat:\n\n${OMITTED_IMAGE_MARKER}\n\nEnjoy!` }],
    });
  });

  it('only the resubmitted http(s) images are fetched', () => {
    const messages = chatCompletionRequest.parse({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://a/1.png' } }] },
        { role: 'assistant', content: '![image](https://a/2.png) ![image](https://a/2.png)' },
        { role: 'user', content: 'again' },
      ],
    }).messages;
    expect(resubmittedRemoteRefs(messages, 'last').map((r) => r.url)).toEqual(['https://a/2.png']);
    expect(resubmittedRemoteRefs(messages, 'all').map((r) => [r.url, r.kind])).toEqual([
      ['https://a/1.png', 'image_url'],
      ['https://a/2.png', 'markdown'],
    ]);
  });
});
