/** last-user-text.ts: the text of a chat's last user message, as image models draw it. */
import { describe, expect, it } from 'vitest';
import { lastUserText } from '../../../main/server/openai/last-user-text';

describe('lastUserText', () => {
  it('takes the last user message, its text parts joined, trimmed', () => {
    const messages = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'ok' },
      {
        role: 'user',
        content: [
          { type: 'text', text: ' a red cat ' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } },
          { type: 'text', text: 'on a mat' },
        ],
      },
      { role: 'assistant', content: 'later' },
    ];
    expect(lastUserText(messages)).toBe('a red cat \non a mat');
  });
  it('undefined without messages, without a user message, or when the last one has no text', () => {
    expect(lastUserText(undefined)).toBeUndefined();
    expect(lastUserText([{ role: 'system', content: 'draw' }])).toBeUndefined();
    expect(
      lastUserText([
        { role: 'user', content: 'x' },
        { role: 'user', content: '   ' },
      ]),
    ).toBeUndefined();
    expect(lastUserText([{ role: 'user', content: [{ type: 'image_url' }] }])).toBeUndefined();
    expect(lastUserText([null, 3, { role: 'user', content: 'ok' }])).toBe('ok');
  });
});
