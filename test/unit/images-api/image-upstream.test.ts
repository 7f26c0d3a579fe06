import { describe, expect, it } from 'vitest';
import {
  MASK_INSTRUCTION,
  geminiImageBody,
  imagenBody,
  readGeminiImages,
  readImagenImages,
} from '../../../main/server/images-api/image-upstream';
import type { ImageJob } from '../../../main/server/images-api/parse-image-request';
import { DEFAULT_SAFETY_SETTINGS } from '../../../main/server/providers/gemini/convert-request';

const job = (over: Partial<ImageJob> = {}): ImageJob => ({
  model: 'gemini-2.5-flash-image',
  upstream: 'gemini-2.5-flash-image',
  backend: 'gemini',
  prompt: 'a cat',
  n: 1,
  responseFormat: 'url',
  images: [],
  ...over,
});
const PNG = { mimeType: 'image/png' as const, data: 'UE5H' };
const JPEG = { mimeType: 'image/jpeg' as const, data: 'SlBFRw==' };
const MASK = { mimeType: 'image/png' as const, data: 'TUFTSw==' };

describe('geminiImageBody', () => {
  it('a prompt alone: one user turn, TEXT+IMAGE, the chat safety defaults, no candidateCount', () => {
    expect(geminiImageBody(job())).toStrictEqual({
      contents: [{ role: 'user', parts: [{ text: 'a cat' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
      safetySettings: DEFAULT_SAFETY_SETTINGS,
    });
  });

  it('images before the prompt, the mask after them with its instruction, the ratio in imageConfig', () => {
    const body = geminiImageBody(job({ images: [PNG, JPEG], mask: MASK, aspectRatio: '16:9', n: 3 }));
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: PNG },
          { inlineData: JPEG },
          { inlineData: MASK },
          { text: MASK_INSTRUCTION },
          { text: 'a cat' },
        ],
      },
    ]);
    expect(body.generationConfig).toStrictEqual({
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig: { aspectRatio: '16:9' },
    });
  });
});

describe('imagenBody', () => {
  it('sampleCount is n; the ratio only when set', () => {
    expect(imagenBody(job({ n: 3 }))).toStrictEqual({
      instances: [{ prompt: 'a cat' }],
      parameters: { sampleCount: 3 },
    });
    expect(imagenBody(job({ aspectRatio: '9:16' })).parameters).toStrictEqual({
      sampleCount: 1,
      aspectRatio: '9:16',
    });
  });
});

describe('readGeminiImages', () => {
  it('every non-thought image, in order; the text becomes the revised prompt', () => {
    const read = readGeminiImages({
      candidates: [
        {
          content: {
            parts: [
              { text: 'draft', thought: true },
              { inlineData: { mimeType: 'image/png', data: 'draft' }, thought: true },
              { text: 'Here ' },
              { inlineData: PNG },
              { text: 'you go.' },
              { inlineData: JPEG },
              { inlineData: { mimeType: 'audio/wav', data: 'x' } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });
    expect(read).toEqual({
      images: [
        { ...PNG, revisedPrompt: 'Here you go.' },
        { ...JPEG, revisedPrompt: 'Here you go.' },
      ],
    });
  });

  it('no text: no revised prompt', () => {
    expect(readGeminiImages({ candidates: [{ content: { parts: [{ inlineData: PNG }] } }] })).toEqual({
      images: [PNG],
    });
  });

  it.each([
    [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }, /prompt blocked: PROHIBITED_CONTENT/],
    [
      { candidates: [{ finishReason: 'IMAGE_SAFETY', finishMessage: 'unsafe' }] },
      /finish reason IMAGE_SAFETY \(unsafe\)/,
    ],
    [
      { candidates: [{ content: { parts: [{ text: "I can't" }] }, finishReason: 'STOP' }] },
      /the model answered: "I can't"/,
    ],
    [{ candidates: [] }, /no reason given/],
  ])('no image: the refusal says why (%#)', (response, reason) => {
    const read = readGeminiImages(response);
    expect(read.images).toEqual([]);
    expect(read.refusal).toMatch(reason);
  });
});

describe('readImagenImages', () => {
  it('predictions with bytes become images (PNG when unlabelled)', () => {
    expect(
      readImagenImages({
        predictions: [{ bytesBase64Encoded: 'AAA=' }, { mimeType: 'image/jpeg', bytesBase64Encoded: 'BBB=' }],
      }),
    ).toEqual({
      images: [
        { mimeType: 'image/png', data: 'AAA=' },
        { mimeType: 'image/jpeg', data: 'BBB=' },
      ],
    });
  });

  it('all filtered: the RAI reasons, or a plain word when Imagen gives none', () => {
    expect(readImagenImages({ predictions: [{ raiFilteredReason: 'violence' }] }).refusal).toBe('violence');
    expect(readImagenImages({}).refusal).toBe('all images were filtered');
  });
});
