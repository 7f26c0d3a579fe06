import { describe, expect, it } from 'vitest';
import { normaliseBase64, parseDataUrl } from '../../../main/server/providers/gemini/data-url';

describe('parseDataUrl', () => {
  it.each([
    ['data:image/png;base64,iVBORw0KGgo=', { mimeType: 'image/png', data: 'iVBORw0KGgo=' }],
    ['DATA:Image/JPEG;BASE64,/9j/4AAQ', { mimeType: 'image/jpeg', data: '/9j/4AAQ' }],
    ['data:application/pdf;name=a.pdf;base64,JVBERi0=', { mimeType: 'application/pdf', data: 'JVBERi0=' }],
    ['data:text/plain;charset=utf-8;base64,aGk=', { mimeType: 'text/plain', data: 'aGk=' }],
    ['data:image/svg+xml;base64,PHN2Zz4=', { mimeType: 'image/svg+xml', data: 'PHN2Zz4=' }],
    ['data:audio/mp3;base64,SUQz\r\nBA==', { mimeType: 'audio/mp3', data: 'SUQzBA==' }],
    ['data:image/png;base64,  iVBO Rw0K\tGgo=\n', { mimeType: 'image/png', data: 'iVBORw0KGgo=' }],
  ])('parses %s', (url, expected) => {
    expect(parseDataUrl(url)).toStrictEqual(expected);
  });

  it.each([
    ['not a data URL', 'https://example.com/a.png'],
    ['missing ;base64', 'data:image/png,iVBORw0KGgo='],
    ['base64 not last', 'data:image/png;base64;charset=x,iVBORw0KGgo='],
    ['no comma', 'data:image/png;base64'],
    ['empty payload', 'data:image/png;base64,'],
    ['missing mime', 'data:;base64,aGk='],
    ['mime without subtype', 'data:image;base64,aGk='],
    ['bad character', 'data:image/png;base64,iVBO*w0K'],
    ['url-safe alphabet', 'data:image/png;base64,iVBO-w0_'],
    ['length not a multiple of 4', 'data:image/png;base64,iVBORw0'],
    ['padding in the middle', 'data:image/png;base64,aG=kaGk='],
    ['three padding characters', 'data:image/png;base64,a==='],
    ['percent-encoded payload', 'data:text/plain;base64,%61%47%6b%3d'],
  ])('rejects %s', (_why, url) => {
    expect(parseDataUrl(url)).toBeUndefined();
  });

  it('rejects a header longer than any real one without scanning for a regex match', () => {
    expect(parseDataUrl(`data:image/png;${'x=y;'.repeat(1000)}base64,aGk=`)).toBeUndefined();
  });

  it('handles a 27 MB payload, valid and with one bad byte at the end', () => {
    const payload = 'QUJD'.repeat((27 * 1024 * 1024) / 4);
    const parsed = parseDataUrl(`data:image/png;base64,${payload}`);
    expect(parsed?.mimeType).toBe('image/png');
    expect(parsed?.data.length).toBe(payload.length);
    expect(parsed?.data === payload).toBe(true);

    expect(parseDataUrl(`data:image/png;base64,${payload.slice(0, -1)}!`)).toBeUndefined();
  });

  it('handles 27 MB of hostile headers and separators', () => {
    const semicolons = `data:image/png${';'.repeat(27 * 1024 * 1024)}`;
    expect(parseDataUrl(semicolons)).toBeUndefined();
    // MIME-style base64: 76-character lines.
    const lines = Math.floor((27 * 1024 * 1024) / 78);
    const wrapped = `data:image/png;base64,${`${'QUJD'.repeat(19)}\r\n`.repeat(lines)}`;
    expect(parseDataUrl(wrapped)?.data.length).toBe(lines * 76);
  });
});

describe('normaliseBase64', () => {
  it('returns the text unchanged when already compact and valid', () => {
    expect(normaliseBase64('aGk=')).toBe('aGk=');
    expect(normaliseBase64('aGVsbG8hIQ==')).toBe('aGVsbG8hIQ==');
  });

  it('strips whitespace and rejects invalid text', () => {
    expect(normaliseBase64(' aG\nk= ')).toBe('aGk=');
    expect(normaliseBase64('')).toBeUndefined();
    expect(normaliseBase64('   ')).toBeUndefined();
    expect(normaliseBase64('aGk')).toBeUndefined();
    expect(normaliseBase64('====')).toBeUndefined();
  });
});
