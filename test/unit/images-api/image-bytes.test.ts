import { describe, expect, it } from 'vitest';
import { sniffImageType } from '../../../main/server/images-api/image-bytes';
import { makeJpeg, makePng } from '../../fakes/fake-gemini';

describe('sniffImageType', () => {
  it('recognises PNG, JPEG and WebP by their signatures', () => {
    expect(sniffImageType(makePng(1))).toBe('image/png');
    expect(sniffImageType(makeJpeg(1))).toBe('image/jpeg');
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
    expect(sniffImageType(webp)).toBe('image/webp');
  });

  it.each([
    ['GIF', Buffer.from('GIF89a....')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['HTML', Buffer.from('<!doctype html>')],
    ['a RIFF that is not WebP', Buffer.from('RIFF\x24\0\0\0WAVEfmt ')],
    ['a truncated PNG signature', makePng(1).subarray(0, 5)],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_label, bytes) => {
    expect(sniffImageType(bytes)).toBeUndefined();
  });
});
