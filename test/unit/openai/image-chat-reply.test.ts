/** image-chat-reply.ts: the chat reply made of images (Grok, Imagen), whole and as chunks. */
import { describe, expect, it } from 'vitest';
import {
  imageChatChunks,
  imageChatCompletion,
  imageReplyContent,
} from '../../../main/server/openai/image-chat-reply';

const meta = { id: 'chatcmpl-test', created: 1_700_000_000, model: 'grok-2-image-1212' };

describe('imageReplyContent', () => {
  it('the revised prompt, then one markdown image per result', () => {
    expect(imageReplyContent(' A red cat. ', ['https://a/1.jpeg', 'http://gw/images/x.jpg'])).toBe(
      'A red cat.\n\n![image 1](https://a/1.jpeg)\n\n![image 2](http://gw/images/x.jpg)',
    );
  });
  it('only images when there is no revised prompt', () => {
    expect(imageReplyContent(undefined, ['u'])).toBe('![image 1](u)');
    expect(imageReplyContent('  ', ['u'])).toBe('![image 1](u)');
  });
  it('characters that would end the link early are escaped', () => {
    expect(imageReplyContent(undefined, ['https://a/b (1).png'])).toBe(
      '![image 1](https://a/b%20%281%29.png)',
    );
  });
});

describe('imageChatCompletion / imageChatChunks', () => {
  it('a chat.completion with the content and zero usage', () => {
    expect(imageChatCompletion(meta, 'text')).toEqual({
      ...meta,
      object: 'chat.completion',
      system_fingerprint: 'fp_gemgate',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'text', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });

  it('role, content and finish chunks; usage only when asked for, last', () => {
    const plain = imageChatChunks(meta, 'text', false);
    expect(plain.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'text' },
      {},
    ]);
    expect(plain.map((c) => c.choices[0]?.finish_reason)).toEqual([null, null, 'stop']);
    expect(
      plain.every((c) => !('usage' in c) && c.id === meta.id && c.object === 'chat.completion.chunk'),
    ).toBe(true);

    const withUsage = imageChatChunks(meta, 'text', true);
    expect(withUsage).toHaveLength(4);
    expect(withUsage.slice(0, 3).every((c) => c.usage === null)).toBe(true);
    expect(withUsage[3]).toMatchObject({ choices: [], usage: { prompt_tokens: 0, total_tokens: 0 } });
  });

  it('images, when given, also go into message.images and the content delta', () => {
    const images = [{ type: 'image_url' as const, image_url: { url: 'https://x/1.png' } }];
    expect(imageChatCompletion(meta, 'text', images).choices[0]?.message.images).toEqual(images);
    expect(imageChatChunks(meta, 'text', false, images).map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'text', images },
      {},
    ]);
    expect(imageChatCompletion(meta, 'text', []).choices[0]?.message).not.toHaveProperty('images');
  });
});
