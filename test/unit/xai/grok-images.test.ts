/** grok-images.ts: which chat requests are Grok image requests, what is drawn, how answers decode. */
import { describe, expect, it } from 'vitest';
import {
  decodeGrokImage,
  imageCount,
  isGrokImageModel,
  parseImagesAnswer,
  revisedPromptOf,
  sniffImageType,
  stripDataUrlPrefix,
} from '../../../main/server/providers/xai/grok-images';
import { makeJpeg, makePng } from '../../fakes/fake-gemini';

describe('isGrokImageModel', () => {
  it.each([
    'grok-2-image-1212',
    'grok-2-image',
    'grok-imagine-image',
    'grok-imagine-image-pro',
    'grok-2-IMAGE-latest',
  ])('%s is an image model', (model) => expect(isGrokImageModel(model)).toBe(true));
  it.each(['grok-4', 'grok-3-mini', 'grok-2-vision-1212', '', undefined, 42, null])('%s is not', (model) =>
    expect(isGrokImageModel(model)).toBe(false),
  );
});

describe('imageCount', () => {
  it.each([
    [undefined, 1],
    [null, 1],
    ['3', 1],
    [Number.NaN, 1],
    [0, 1],
    [-4, 1],
    [1, 1],
    [2.7, 2],
    [10, 10],
    [25, 10],
    [Number.POSITIVE_INFINITY, 1],
  ])('n = %s → %i', (n, expected) => expect(imageCount(n)).toBe(expected));
});

describe('parseImagesAnswer', () => {
  it('reads url and b64_json items with their revised prompt and type; skips empty items', () => {
    const text = JSON.stringify({
      data: [
        { url: 'https://imgen.x.ai/xai-imgen/a.jpeg', revised_prompt: 'A cat.' },
        { b64_json: 'AAAA', mime_type: 'image/png' },
        { revised_prompt: 'nothing' },
        'junk',
      ],
      usage: { cost_in_usd_ticks: 700000000 },
    });
    expect(parseImagesAnswer(text)).toEqual([
      { url: 'https://imgen.x.ai/xai-imgen/a.jpeg', revised_prompt: 'A cat.' },
      { b64_json: 'AAAA', mime_type: 'image/png' },
    ]);
  });
  it('undefined for anything that is not an images answer', () => {
    expect(parseImagesAnswer('not json')).toBeUndefined();
    expect(parseImagesAnswer('{"error":"x"}')).toBeUndefined();
    expect(parseImagesAnswer('null')).toBeUndefined();
  });
  it('the first revised prompt is the one shown', () => {
    expect(
      revisedPromptOf([{ url: 'u' }, { url: 'v', revised_prompt: 'B' }, { url: 'w', revised_prompt: 'C' }]),
    ).toBe('B');
    expect(revisedPromptOf([{ url: 'u' }])).toBeUndefined();
  });
});

describe('decodeGrokImage', () => {
  const jpeg = makeJpeg(3);
  const png = makePng(1);

  it('bare base64 → the bytes; the type from the bytes', () => {
    expect(decodeGrokImage({ b64_json: jpeg.toString('base64') })).toEqual({
      bytes: jpeg,
      mimeType: 'image/jpeg',
    });
    expect(decodeGrokImage({ b64_json: png.toString('base64') })).toEqual({
      bytes: png,
      mimeType: 'image/png',
    });
  });
  it('a data-URL prefix is stripped', () => {
    const decoded = decodeGrokImage({ b64_json: `data:image/png;base64,${png.toString('base64')}` });
    expect(decoded?.bytes.equals(png)).toBe(true);
    expect(decoded?.mimeType).toBe('image/png');
  });
  it('unknown bytes take the declared type, else JPEG (what grok-2-image answers)', () => {
    const odd = Buffer.from('not an image').toString('base64');
    expect(decodeGrokImage({ b64_json: odd, mime_type: 'image/webp' })?.mimeType).toBe('image/webp');
    expect(decodeGrokImage({ b64_json: `data:image/gif;base64,${odd}` })?.mimeType).toBe('image/gif');
    expect(decodeGrokImage({ b64_json: odd, mime_type: 'text/html' })?.mimeType).toBe('image/jpeg');
  });
  it('undefined without base64 data', () => {
    expect(decodeGrokImage({ url: 'https://imgen.x.ai/a.jpeg' })).toBeUndefined();
    expect(decodeGrokImage({ b64_json: 'data:image/png;base64,' })).toBeUndefined();
  });
});

describe('stripDataUrlPrefix', () => {
  it('bare base64 stays; a data-URL prefix goes, its type kept (parameters before ;base64 too)', () => {
    expect(stripDataUrlPrefix('/9j/4AAQ')).toEqual({ base64: '/9j/4AAQ', prefixType: undefined });
    expect(stripDataUrlPrefix('data:image/png;base64,iVBO')).toEqual({
      base64: 'iVBO',
      prefixType: 'image/png',
    });
    expect(stripDataUrlPrefix('DATA:image/jpeg;name=a.jpg;base64,/9j/')).toEqual({
      base64: '/9j/',
      prefixType: 'image/jpeg',
    });
  });
});

describe('sniffImageType', () => {
  it('knows the four stored types', () => {
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(makePng(0))).toBe('image/png');
    expect(sniffImageType(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array())).toBeUndefined();
  });
});
