/** log-bus.ts: every message is redacted, then capped in length before the ring keeps it. */
import { describe, expect, it } from 'vitest';
import { LogBus, MAX_LOG_MESSAGE_CHARS } from '../../../main/server/logging/log-bus';

/** No lone surrogate: one would not survive UTF-8 (it comes back as U+FFFD). */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('LogBus message cap', () => {
  it('keeps ordinary messages whole', () => {
    const bus = new LogBus();
    const message = 'x'.repeat(MAX_LOG_MESSAGE_CHARS);
    expect(bus.info(message).message).toBe(message);
  });

  it(`cuts a message past ${MAX_LOG_MESSAGE_CHARS} characters, saying how much is missing, for the ring and every subscriber`, () => {
    const bus = new LogBus({ capacity: 3 });
    const seen: string[] = [];
    bus.subscribe((entry) => seen.push(entry.message));
    const huge = 'y'.repeat(MAX_LOG_MESSAGE_CHARS + 5000);
    const entry = bus.publish('warn', huge, {
      method: 'POST',
      path: '/p',
      ip: '1',
      status: 200,
      latencyMs: 1,
    });
    expect(entry.message.startsWith('y'.repeat(MAX_LOG_MESSAGE_CHARS))).toBe(true);
    expect(entry.message.slice(MAX_LOG_MESSAGE_CHARS)).toBe(' … [5000 more characters cut]');
    expect(bus.recent()[0]?.message).toBe(entry.message);
    expect(seen).toEqual([entry.message]);
  });

  it('redacts before cutting: a secret at the cut is masked, not left half-recognisable', () => {
    const secret = 'the-gateway-password-0123456789';
    const bus = new LogBus({ redact: (text) => text.split(secret).join('****') });
    const message = `${'z'.repeat(MAX_LOG_MESSAGE_CHARS - 10)}${secret}${'z'.repeat(100)}`;
    const stored = bus.error(message).message;
    expect(stored).not.toContain(secret.slice(0, 10));
    expect(stored.startsWith(`${'z'.repeat(MAX_LOG_MESSAGE_CHARS - 10)}****`)).toBe(true);
  });

  it('never splits a surrogate pair at the cut', () => {
    const bus = new LogBus();
    const message = `${'a'.repeat(MAX_LOG_MESSAGE_CHARS - 1)}${'😀'.repeat(10)}`;
    expect(wellFormed(bus.info(message).message)).toBe(true);
  });
});
