import { describe, expect, it } from 'vitest';
import {
  GEMINI_ASPECT_RATIOS,
  IMAGEN_ASPECT_RATIOS,
  aspectRatioOfSize,
  imagenRatioOf,
  nearestImagenRatio,
} from '../../../main/server/images-api/size-to-aspect';

describe('aspectRatioOfSize', () => {
  it.each([
    ['256x256', '1:1'],
    ['512x512', '1:1'],
    ['1024x1024', '1:1'],
    ['1536x1024', '3:2'],
    ['1024x1536', '2:3'],
    ['1792x1024', '16:9'],
    ['1024x1792', '9:16'],
    [' 1792X1024 ', '16:9'],
  ])('OpenAI size %s → %s', (size, ratio) => {
    expect(aspectRatioOfSize(size)).toEqual({ ok: true, aspectRatio: ratio });
  });

  it.each([undefined, '', 'auto', 'AUTO'])('%j lets the model choose', (size) => {
    expect(aspectRatioOfSize(size)).toEqual({ ok: true, aspectRatio: undefined });
  });

  it('takes every ratio Gemini accepts as is', () => {
    for (const ratio of GEMINI_ASPECT_RATIOS)
      expect(aspectRatioOfSize(ratio)).toEqual({ ok: true, aspectRatio: ratio });
  });

  it.each([
    ['800x600', '4:3'],
    ['1280x720', '16:9'],
    ['1080x1920', '9:16'],
    ['2048x2048', '1:1'],
    ['2560x1080', '21:9'],
    ['1536x864', '16:9'],
    ['999x1000', '1:1'],
  ])('any other WIDTHxHEIGHT %s → the nearest ratio Gemini has, %s', (size, ratio) => {
    expect(aspectRatioOfSize(size)).toEqual({ ok: true, aspectRatio: ratio });
  });

  it.each(['1024', '16:10', '0:0', '0x600', '800x0', '123456x1', 'big', '1:1:1'])(
    'refuses %j, listing what works',
    (size) => {
      const result = aspectRatioOfSize(size);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toContain(`"${size}"`);
        expect(result.message).toContain('1792x1024');
        expect(result.message).toContain('21:9');
      }
    },
  );
});

describe('nearestImagenRatio', () => {
  it.each([
    ['1:1', '1:1'],
    ['3:2', '4:3'],
    ['2:3', '3:4'],
    ['4:5', '3:4'],
    ['5:4', '4:3'],
    ['21:9', '16:9'],
    ['16:9', '16:9'],
    ['9:16', '9:16'],
  ])('%s → %s', (ratio, nearest) => {
    expect(nearestImagenRatio(ratio)).toBe(nearest);
  });

  it('always answers a ratio Imagen takes', () => {
    for (const ratio of GEMINI_ASPECT_RATIOS)
      expect(IMAGEN_ASPECT_RATIOS).toContain(nearestImagenRatio(ratio));
  });
});

describe('imagenRatioOf', () => {
  it.each([
    ['16:9', '16:9'],
    ['3:2', '4:3'],
    [' 2:3 ', '3:4'],
    ['2:1', '16:9'],
    ['1:2', '9:16'],
    ['16:10', '16:9'],
    ['1.91:1', '16:9'],
    ['1792x1024', '16:9'],
    ['1024x1536', '3:4'],
  ])('%j → the nearest Imagen ratio, %s', (value, ratio) => {
    expect(imagenRatioOf(value)).toEqual({ ok: true, aspectRatio: ratio });
  });

  it.each([undefined, '', 'auto'])('%j lets Imagen choose', (value) => {
    expect(imagenRatioOf(value)).toEqual({ ok: true, aspectRatio: undefined });
  });

  it.each(['wide', '0:1', '1:0', '1:1:1', '-1:2'])('refuses %j', (value) => {
    expect(imagenRatioOf(value).ok).toBe(false);
  });
});
