/** Names of gateway-served images: only `<generated id>.<known ext>` parses; only raster types are served. */
import { describe, expect, it } from 'vitest';
import {
  imageFileNameOfPath,
  parseImageFileName,
  requireServableMimeType,
  servableMimeType,
} from '../../../main/server/images/served-images';

const ID = '0lq2x3c00-0123456789abcdef';

describe('parseImageFileName', () => {
  it.each([
    [`${ID}.png`, 'image/png'],
    [`${ID}.jpg`, 'image/jpeg'],
    [`${ID}.webp`, 'image/webp'],
    [`${ID}.gif`, 'image/gif'],
  ])('%s → %s', (name, mimeType) => {
    expect(parseImageFileName(name)).toEqual({ id: ID, ext: name.split('.')[1], mimeType });
  });

  it.each([
    '',
    ID,
    `${ID}.bin`,
    `${ID}.jpeg`,
    `${ID}.PNG`,
    `${ID.toUpperCase()}.png`,
    `${ID}.png.png`,
    `${ID}.png\0`,
    `../${ID}.png`,
    `${ID}/.png`,
    `.${ID}.png`,
    `${ID}.png `,
    '0lq2x3c00-0123456789abcdeg.png',
    '0lq2x3c0-0123456789abcdef0.png',
  ])('rejects %j', (name) => {
    expect(parseImageFileName(name)).toBeUndefined();
  });

  it('reads the name out of an /images/ path only', () => {
    expect(imageFileNameOfPath(`/images/${ID}.png`)?.id).toBe(ID);
    expect(imageFileNameOfPath(`/img/${ID}.png`)).toBeUndefined();
    expect(imageFileNameOfPath(`/images/x/${ID}.png`)).toBeUndefined();
  });
});

describe('servable MIME types', () => {
  it.each([
    ['image/png', 'image/png'],
    ['IMAGE/PNG', 'image/png'],
    ['image/jpg', 'image/jpeg'],
    [' image/webp; q=1', 'image/webp'],
    ['image/svg+xml', undefined],
    ['text/html', undefined],
    ['image/heic', undefined],
    ['constructor', undefined],
  ])('%j → %j', (input, expected) => {
    expect(servableMimeType(input)).toBe(expected);
  });

  it('throws for the ones that are not', () => {
    expect(() => requireServableMimeType('image/svg+xml')).toThrow(
      /Unsupported image type "image\/svg\+xml"/,
    );
  });
});
