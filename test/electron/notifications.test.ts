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

const watch = (locale: string) =>
  watchForNotifications({
    core: { keys, log },
    host: {
      onChange: (l) => {
        hostListener = l;
        return () => undefined;
      },
    },
    text: shellTextFor(locale),
    notify: (title, body) => shown.push({ title, body }),
    debounceMs: 500,
  });
/** The tray app's notifications on a Chinese system from now on. */
const inChinese = () => {
  stop();
  stop = watch('zh-CN');
};

beforeEach(() => {
  vi.useFakeTimers();
  keys = new KeyPool(KEYS, { now: () => now, defaultCooldownMs: 60_000 });
  log = new LogBus({ now: () => now });
  shown = [];
  stop = watch('en');
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

  it('an address that fails asks for another address, not another port', () => {
    hostListener({
      state: 'error',
      listening: null,
      listenError: 'address 10.9.9.9 is not available on this computer',
      listenProblem: { code: 'address_unavailable', host: '10.9.9.9' },
    });
    expect(shown).toEqual([
      {
        title: 'Gemgate could not start its server',
        body:
          'address 10.9.9.9 is not available on this computer. ' +
          'Change the listen address in Settings, then start the server.',
      },
    ]);
  });

  it('a failed move says the server did not move, and that it still serves', () => {
    hostListener(moveFailed);
    expect(shown).toEqual([
      {
        title: 'Gemgate could not move its server',
        body:
          'port 7861 is in use (still serving on http://127.0.0.1:7860). ' +
          'Change the port in Settings or free it, then stop and start the server.',
      },
    ]);
  });
});

const moveFailed: ServerHostStatus = {
  state: 'error',
  listening: { host: '127.0.0.1', port: 7860, baseUrl: 'http://127.0.0.1:7860/v1' },
  listenError: 'port 7861 is in use (still serving on http://127.0.0.1:7860)',
  listenProblem: { code: 'port_in_use', port: 7861, stillServing: 'http://127.0.0.1:7860' },
};

describe('notifications on a Chinese system', () => {
  beforeEach(inChinese);

  it('word the listen problem from its code, with the advice that fits it', () => {
    hostListener({
      state: 'error',
      listening: null,
      listenError: 'port 7860 is in use',
      listenProblem: { code: 'port_in_use', port: 7860 },
    });
    hostListener({
      state: 'error',
      listening: null,
      listenError: 'host name nas.local cannot be resolved',
      listenProblem: { code: 'host_unresolved', host: 'nas.local' },
    });
    hostListener(moveFailed);
    expect(shown).toEqual([
      {
        title: 'Gemgate 无法启动服务',
        body: '端口 7860 已被占用。请在设置中更换端口或释放该端口，然后启动服务。',
      },
      {
        title: 'Gemgate 无法启动服务',
        body: '无法解析主机名 nas.local。请在设置中更换监听地址，然后启动服务。',
      },
      {
        title: 'Gemgate 无法将服务迁移到新地址',
        body:
          '端口 7861 已被占用（仍在 http://127.0.0.1:7860 上提供服务）。' +
          '请在设置中更换端口或释放该端口，然后停止并重新启动服务。',
      },
    ]);
  });

  it('a blocked start: the reason in Chinese, with its own advice', () => {
    hostListener({
      state: 'error',
      listening: null,
      listenError: 'the saved setting "Admin password" could not be decrypted (…)',
      listenProblem: { code: 'secrets_unreadable', settings: ['adminPassword'] },
      blocked: true,
    });
    expect(shown).toEqual([
      {
        title: 'Gemgate 无法启动服务',
        body:
          '无法解密已保存的“管理密码”（系统钥匙串可能已锁定或不可用），因此服务不会监听：' +
          '请解锁钥匙串后重启 Gemgate，或在设置中重新填写。',
      },
    ]);
  });

  it("an unknown cause keeps the listener's English words", () => {
    hostListener({ state: 'error', listening: null, listenError: 'listen EINVAL: weird' });
    expect(shown).toEqual([
      {
        title: 'Gemgate 无法启动服务',
        body: 'listen EINVAL: weird。请在设置中更换端口或释放该端口，然后启动服务。',
      },
    ]);
  });
});
