import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import {
  parseEditRequest,
  parseGenerationRequest,
  type InputImage,
} from '../../../main/server/images-api/parse-image-request';

const IMAGE: InputImage = { mimeType: 'image/png', data: 'iVBORw0KGgo=' };

const errorOf = (fn: () => unknown): ApiError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
};

describe('parseGenerationRequest', () => {
  it('applies the defaults: the flash image model, one image, a url, no ratio', () => {
    expect(parseGenerationRequest({ prompt: 'a cat' })).toEqual({
      model: 'gemini-2.5-flash-image',
      upstream: 'gemini-2.5-flash-image',
      backend: 'gemini',
      prompt: 'a cat',
      n: 1,
      responseFormat: 'url',
      images: [],
    });
  });

  it('maps size, keeps n and response_format, drops what Gemini has no use for', () => {
    const job = parseGenerationRequest({
      prompt: 'a cat',
      model: 'models/gemini-3-pro-image-preview',
      n: 3,
      size: '1024x1536',
      response_format: 'b64_json',
      quality: 'hd',
      style: 'natural',
      user: 'u',
      background: 'transparent',
      output_format: 'webp',
    });
    expect(job).toMatchObject({
      model: 'models/gemini-3-pro-image-preview',
      upstream: 'gemini-3-pro-image-preview',
      backend: 'gemini',
      n: 3,
      aspectRatio: '2:3',
      responseFormat: 'b64_json',
    });
  });

  it.each([
    'gemini-2.0-flash-exp',
    'gemini-2.0-flash-exp-image-generation',
    'gemini-2.0-flash-preview-image-generation',
    'gemini-2.5-flash-image-preview',
    'gemini-3-pro-image-preview',
    'some-future-image-model',
  ])('%s is a Gemini image model', (model) => {
    expect(parseGenerationRequest({ prompt: 'x', model }).backend).toBe('gemini');
  });

  it('imagen-* goes to :predict with the nearest ratio Imagen takes and at most 4 images', () => {
    const job = parseGenerationRequest({
      prompt: 'x',
      model: 'imagen-4.0-generate-001',
      size: '1536x1024',
      n: 4,
    });
    expect(job).toMatchObject({ backend: 'imagen', aspectRatio: '4:3', n: 4 });
    expect(
      errorOf(() => parseGenerationRequest({ prompt: 'x', model: 'imagen-4.0-generate-001', n: 5 })),
    ).toMatchObject({
      status: 400,
      param: 'n',
    });
  });

  it.each([
    [{ prompt: 'x', model: 'gemini-2.5-pro' }, 'model', /"gemini-2.5-pro" does not generate images/],
    [{ prompt: 'x', model: 'a/b' }, 'model', /Invalid model id/],
    [{ prompt: 'x', size: '640x' }, 'size', /Unsupported size/],
    [{ prompt: 'x', n: 0 }, 'n', /n/],
    [{ prompt: 'x', n: 1.5 }, 'n', /n/],
    [{ prompt: 'x', n: 11 }, 'n', /n/],
    [{}, 'prompt', /prompt is required/],
    [{ prompt: 42 }, 'prompt', /expected string/],
    [{ prompt: '' }, 'prompt', /must not be empty/],
    [{ prompt: 'x', response_format: 'jpeg' }, 'response_format', /response_format/],
    // The SDK would wait for SSE events; the images would be drawn (and billed) for nothing.
    [{ prompt: 'x', stream: true }, 'stream', /Streaming image generation is not supported/],
    [{ prompt: 'x', stream: 'true' }, 'stream', /Streaming image generation is not supported/],
    // OpenAI's text models are not Gemini's to draw with.
    [{ prompt: 'x', model: 'gpt-4o' }, 'model', /"gpt-4o" does not generate images/],
    [{ prompt: 'x', image_size: '8K' }, 'image_size', /image_size must be 1K, 2K or 4K/],
  ])('%j → 400 on %s', (body, param, message) => {
    const err = errorOf(() => parseGenerationRequest(body));
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });

  it.each(['dall-e-2', 'dall-e-3', 'gpt-image-1', 'GPT-Image-1-mini'])(
    'OpenAI’s image model %s draws with the default Gemini image model, under its own name',
    (model) => {
      expect(parseGenerationRequest({ prompt: 'a cat', model })).toMatchObject({
        model,
        upstream: 'gemini-2.5-flash-image',
        backend: 'gemini',
      });
    },
  );

  it.each([
    [{ model: 'gpt-image-1' }, 'b64_json'],
    [{ output_format: 'png' }, 'b64_json'],
    [{ background: 'transparent' }, 'b64_json'],
    [{ moderation: 'low' }, 'b64_json'],
    [{ quality: 'high' }, 'b64_json'],
    [{ quality: 'hd' }, 'url'],
    [{ model: 'dall-e-3', style: 'vivid' }, 'url'],
    [{}, 'url'],
    [{ model: 'gpt-image-1', response_format: 'url' }, 'url'],
  ])('written for %j: answers %s unless asked', (fields, format) => {
    expect(parseGenerationRequest({ prompt: 'a cat', ...fields }).responseFormat).toBe(format);
  });

  it.each([
    ['gemini-3-pro-image-preview', { size: '2048x2048' }, '2K'],
    ['gemini-3-pro-image-preview', { size: '3840x2160' }, '4K'],
    ['gemini-3-pro-image-preview', { size: '1024x1024' }, undefined],
    ['gemini-3-pro-image-preview', { image_size: '4k' }, '4K'],
    ['nano-banana-pro-preview', { size: '1920x1080' }, '2K'],
    // 2.5 Flash Image draws at one size: nothing to ask for.
    ['gemini-2.5-flash-image', { size: '2048x2048', image_size: '2K' }, undefined],
    ['imagen-4.0-generate-001', { size: '2048x2048' }, undefined],
  ])('%s with %j → imageSize %s', (model, fields, imageSize) => {
    expect(parseGenerationRequest({ prompt: 'a cat', model, ...fields }).imageSize).toBe(imageSize);
  });

  it('a body that is not an object is a 400', () => {
    expect(errorOf(() => parseGenerationRequest('prompt=x')).status).toBe(400);
  });
});

describe('parseEditRequest', () => {
  it('reads form strings (n as digits) and carries the images and the mask', () => {
    const job = parseEditRequest(
      { prompt: 'add a hat', n: '2', size: '1:1', response_format: 'b64_json' },
      { images: [IMAGE, IMAGE], mask: IMAGE },
    );
    expect(job).toMatchObject({ n: 2, aspectRatio: '1:1', responseFormat: 'b64_json', mask: IMAGE });
    expect(job.images).toHaveLength(2);
  });

  it('refuses Imagen, which cannot edit on the Gemini API', () => {
    const err = errorOf(() =>
      parseEditRequest({ prompt: 'x', model: 'imagen-4.0-generate-001' }, { images: [IMAGE] }),
    );
    expect(err).toMatchObject({ status: 400, param: 'model' });
  });

  it('n that is not a number is a 400 on n', () => {
    expect(errorOf(() => parseEditRequest({ prompt: 'x', n: 'two' }, { images: [IMAGE] })).param).toBe('n');
  });
});
