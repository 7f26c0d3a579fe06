/**
 * Desktop notifications from the real key pool and log bus: a key disabled, every key unavailable,
 * the server failing to start — each once per occurrence, bursts debounced into one look.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyPool } from '../../main/server/keys/key-pool';
import { LogBus } from '../../main/server/logging/log-bus';
import { watchForNotifications } from '../../main/electron/notifications';
import type { ServerHostStatus } from '../../main/electron/server-host';
import { shellTextFor } from '../../main/electron/tray-i18n';

const KEYS = ['AIzaSyA-key-one-000000000000000000000001', 'AIzaSyB-key-two-000000000000000000000002'];

let now = 1_000_000;
let keys: KeyPool;
let log: LogBus;
let hostListener: (s: ServerHostStatus) => void;
let shown: { title: string; body: string }[];
let stop: () => void;

const lease = (n: number) => {
  for (let i = 0; i < 10; i++) {
    const l = keys.acquire();
    if (l && l.key === KEYS[n]) return l;
  }
  throw new Error('key not leased');
};
const settle = () => vi.advanceTimersByTime(1000);

beforeEach(() => {
  vi.useFakeTimers();
  keys = new KeyPool(KEYS, { now: () => now, defaultCooldownMs: 60_000 });
  log = new LogBus({ now: () => now });
  shown = [];
  stop = watchForNotifications({
    core: { keys, log },
    host: {
      onChange: (l) => {
        hostListener = l;
        return () => undefined;
      },
    },
    text: shellTextFor('en'),
    notify: (title, body) => shown.push({ title, body }),
    debounceMs: 500,
  });
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('notifications', () => {
  it('a disabled key, once, after the log burst settles', () => {
    keys.reportInvalid(lease(0), 400, 'API key not valid');
    log.info('POST /v1/chat/completions 400');
    log.info('POST /v1/chat/completions 200');
    expect(shown).toEqual([]); // debounced
    settle();
    expect(shown).toEqual([
      { title: 'A Gemini key was disabled', body: expect.stringContaining(keys.health()[0]!.masked) },
    ]);
    log.info('another request');
    settle();
    expect(shown).toHaveLength(1);
  });

  it('all keys unavailable: once per outage, again after a recovery', () => {
    keys.reportRateLimited(lease(0), 60_000, 'quota');
    keys.reportInvalid(lease(1), 403, 'suspended');
    log.warn('no keys');
    settle();
    expect(shown.map((n) => n.title)).toEqual(['A Gemini key was disabled', 'No Gemini key is available']);
    expect(shown[1]!.body).toMatch(/All 2 Gemini API key\(s\)/);
    log.info('still none');
    settle();
    expect(shown).toHaveLength(2);
    now += 61_000; // the cooldown ends: one key is usable again
    log.info('request ok');
    settle();
    keys.reportRateLimited(lease(0), 60_000, 'quota');
    log.info('429');
    settle();
    expect(shown.map((n) => n.title)).toEqual([
      'A Gemini key was disabled',
      'No Gemini key is available',
      'No Gemini key is available',
    ]);
  });

  it('no keys at all is not an outage to notify about', () => {
    keys.setKeys([]);
    log.info('x');
    settle();
    expect(shown).toEqual([]);
  });

  it('the server failing to start, once per distinct error', () => {
    const failed: ServerHostStatus = { state: 'error', listening: null, listenError: 'port 7860 is in use' };
    hostListener({ state: 'starting', listening: null, listenError: null });
    hostListener(failed);
    hostListener(failed);
    expect(shown).toEqual([
      { title: 'Gemgate could not start its server', body: expect.stringMatching(/^port 7860 is in use\. /) },
    ]);
    hostListener({
      state: 'running',
      listening: { host: '127.0.0.1', port: 7861, baseUrl: '' },
      listenError: null,
    });
    hostListener(failed);
    expect(shown).toHaveLength(2);
  });

  it('a blocked start shows its own advice, not the port advice', () => {
    const reason = 'the saved X could not be decrypted; set a new value in Settings';
    hostListener({ state: 'error', listening: null, listenError: reason, blocked: true });
    expect(shown).toEqual([{ title: 'Gemgate could not start its server', body: `${reason}.` }]);
  });
});
