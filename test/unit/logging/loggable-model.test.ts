/** loggable-model.ts: a client's model name, bounded and without line-forging characters, before it is recorded. */
import { describe, expect, it } from 'vitest';
import { loggableModel, MAX_LOGGABLE_MODEL_CHARS } from '../../../main/server/logging/loggable-model';

/** No lone surrogate: one would not survive UTF-8 (it comes back as U+FFFD). */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('loggableModel', () => {
  it('leaves real model names as they are', () => {
    for (const model of ['gemini-2.5-flash', 'grok-2-image-1212', 'models/gemini-2.5-pro-thinking-high', 'x'])
      expect(loggableModel(model)).toBe(model);
  });

  it(`keeps at most ${MAX_LOGGABLE_MODEL_CHARS} characters, marking the cut`, () => {
    const exact = 'm'.repeat(MAX_LOGGABLE_MODEL_CHARS);
    expect(loggableModel(exact)).toBe(exact);
    const huge = loggableModel('a'.repeat(50 * 1024 * 1024));
    expect(huge).toHaveLength(MAX_LOGGABLE_MODEL_CHARS);
    expect(huge.endsWith('…')).toBe(true);
  });

  it('never cuts an emoji in half (no lone surrogate for the journal or the console)', () => {
    const cut = loggableModel(`${'a'.repeat(MAX_LOGGABLE_MODEL_CHARS - 2)}😀😀😀`);
    expect(cut.length).toBeLessThanOrEqual(MAX_LOGGABLE_MODEL_CHARS);
    expect(cut).toBe(`${'a'.repeat(MAX_LOGGABLE_MODEL_CHARS - 2)}…`);
    expect(wellFormed(cut)).toBe(true);
  });

  it('replaces newlines, ESC and the other characters that forge or recolour a log line', () => {
    const forged = 'grok-4\n2026-01-01T00:00:00.000Z INFO  admin: signed in\r\u001b[2K\u001b[31mred';
    const clean = loggableModel(forged);
    for (const control of ['\n', '\r', '\u001b']) expect(clean).not.toContain(control);
    expect(clean).toBe(
      'grok-4\ufffd2026-01-01T00:00:00.000Z INFO  admin: signed in\ufffd\ufffd[2K\ufffd[31mred',
    );
    for (const control of [
      '\u0000',
      '\t',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u2028',
      '\u2029',
      '\u202e',
      '\u2066',
    ])
      expect(loggableModel(`a${control}b`)).toBe('a\ufffdb');
  });

  it('a long name full of controls is both cut and cleaned', () => {
    const out = loggableModel('\n'.repeat(1_000_000));
    expect(out).toBe(`${'\ufffd'.repeat(MAX_LOGGABLE_MODEL_CHARS - 1)}…`);
  });
});
