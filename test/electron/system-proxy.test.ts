/**
 * Following the system proxy (main/electron/system-proxy.ts) with a stand-in for Electron's
 * resolveProxy: what is asked and when (start, timer, the settings that matter), the cached route per
 * upstream, and the log — one line per change, both upstreams on one line when they agree, SOCKS and
 * failures explained, nothing while OUTBOUND_PROXY is set.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settingsDefaults } from '../../shared/settings-schema';
import { MemorySettingsSource } from '../../main/server/settings/settings-source';
import { SystemProxy } from '../../main/electron/system-proxy';

const GEMINI = 'https://generativelanguage.googleapis.com';
const XAI = 'https://api.x.ai';

const setUp = (answer: (url: string) => Promise<string>, intervalMs = 60_000) => {
  const settings = new MemorySettingsSource({
    ...settingsDefaults('tray'),
    proxyUrl: GEMINI,
    xaiBaseUrl: XAI,
  });
  const asked: string[] = [];
  const lines: string[] = [];
  const onChange = vi.fn();
  const follower = new SystemProxy({
    settings,
    resolveProxy: (url) => {
      asked.push(url);
      return answer(url);
    },
    intervalMs,
  });
  const report = {
    log: { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) },
    onChange,
  };
  return { settings, asked, lines, onChange, follower, report };
};

let running: SystemProxy | undefined;
afterEach(() => {
  running?.stop();
  running = undefined;
  vi.useRealTimers();
});

describe('SystemProxy', () => {
  it('asks for both base URLs at start, caches the routes and logs them once, on one line', async () => {
    const t = setUp(async () => 'PROXY 127.0.0.1:7890; DIRECT');
    running = t.follower;
    expect(t.follower.proxyFor('gemini')).toBe('');
    await t.follower.start(t.report);
    expect(t.asked).toEqual([GEMINI, XAI]);
    expect(t.follower.proxyFor('gemini')).toBe('http://127.0.0.1:7890');
    expect(t.follower.proxyFor('xai')).toBe('http://127.0.0.1:7890');
    expect(t.lines).toEqual(['info Calls to Gemini and xAI follow the system proxy http://127.0.0.1:7890.']);
    expect(t.onChange).toHaveBeenCalledOnce();

    await t.follower.refresh();
    expect(t.asked).toHaveLength(4);
    expect(t.lines).toHaveLength(1); // unchanged: not logged again
    expect(t.onChange).toHaveBeenCalledOnce();
  });

  it('asks again on its timer and follows a change (the proxy app switched the system proxy off)', async () => {
    vi.useFakeTimers();
    let answer = 'PROXY 127.0.0.1:7890';
    const t = setUp(async () => answer, 30_000);
    running = t.follower;
    await t.follower.start(t.report);
    answer = 'DIRECT';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.asked).toHaveLength(4);
    expect(t.follower.proxyFor('gemini')).toBe('');
    expect(t.lines.at(-1)).toBe(
      'info Calls to Gemini and xAI connect directly: the system proxy setting names no proxy for them.',
    );
    expect(t.onChange).toHaveBeenCalledTimes(2);
  });

  it('asks again when PROXY_URL or XAI_BASE_URL change, for the new URL', async () => {
    // The timer is a minute away and nothing here calls refresh(): only the settings change can ask.
    const t = setUp(async (url) => (url.includes('relay') ? 'PROXY 10.0.0.1:3128' : 'DIRECT'));
    running = t.follower;
    await t.follower.start(t.report);
    t.settings.update({ proxyUrl: 'https://relay.example' });
    await vi.waitFor(() => expect(t.follower.proxyFor('gemini')).toBe('http://10.0.0.1:3128'));
    expect(t.asked).toContain('https://relay.example');
    expect(t.follower.proxyFor('xai')).toBe('');
    expect(t.lines.at(-1)).toBe('info Calls to Gemini follow the system proxy http://10.0.0.1:3128.');

    t.settings.update({ xaiBaseUrl: 'https://relay.example/xai' });
    await vi.waitFor(() => expect(t.follower.proxyFor('xai')).toBe('http://10.0.0.1:3128'));
    expect(t.asked).toContain('https://relay.example/xai');
    expect(t.lines.at(-1)).toBe('info Calls to xAI follow the system proxy http://10.0.0.1:3128.');
  });

  it('explains a SOCKS system proxy once and goes direct; a password never reaches the log', async () => {
    const t = setUp(async () => 'SOCKS5 user:hunter22@127.0.0.1:7891');
    running = t.follower;
    await t.follower.start(t.report);
    await t.follower.refresh();
    expect(t.follower.proxyFor('gemini')).toBe('');
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]).toMatch(
      /^warn Calls to Gemini and xAI connect directly: .*"SOCKS5 \*\*\*@127\.0\.0\.1:7891"/,
    );
    expect(t.lines[0]).toMatch(/SOCKS is not supported\)\. Set OUTBOUND_PROXY/);
    expect(t.lines[0]).not.toContain('hunter22');
  });

  it('keeps the route in use when Electron cannot answer, and says so once', async () => {
    let fail = false;
    const t = setUp(async () => {
      if (fail) throw new Error('net::ERR_PAC_SCRIPT_FAILED');
      return 'PROXY 127.0.0.1:7890';
    });
    running = t.follower;
    await t.follower.start(t.report);
    fail = true;
    await t.follower.refresh();
    await t.follower.refresh();
    expect(t.follower.proxyFor('gemini')).toBe('http://127.0.0.1:7890');
    expect(t.lines.slice(1)).toEqual([
      'warn Could not read the system proxy for the calls to Gemini and xAI (net::ERR_PAC_SCRIPT_FAILED); they keep going through http://127.0.0.1:7890.',
    ]);
  });

  it('reads an empty answer as a failed lookup, not as "no proxy": the route stays, one warning', async () => {
    // Electron's resolveProxy never rejects: a failed lookup resolves with '' (a direct one is "DIRECT").
    let answer = 'PROXY 127.0.0.1:7890';
    const t = setUp(async () => answer);
    running = t.follower;
    await t.follower.start(t.report);
    expect(t.onChange).toHaveBeenCalledOnce();
    answer = '';
    await t.follower.refresh();
    answer = ' ';
    await t.follower.refresh();
    expect(t.follower.proxyFor('gemini')).toBe('http://127.0.0.1:7890');
    expect(t.follower.proxyFor('xai')).toBe('http://127.0.0.1:7890');
    expect(t.lines.slice(1)).toEqual([
      'warn Could not read the system proxy for the calls to Gemini and xAI (the lookup failed); they keep going through http://127.0.0.1:7890.',
    ]);
    expect(t.onChange).toHaveBeenCalledOnce(); // the model list is not fetched again for nothing
  });

  it('does not hold up the start for an answer that does not come', async () => {
    vi.useFakeTimers();
    const t = setUp(() => new Promise<string>(() => undefined));
    running = t.follower;
    let started = false;
    void t.follower.start(t.report).then(() => (started = true));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(started).toBe(true);
    expect(t.follower.proxyFor('gemini')).toBe('');
    await vi.advanceTimersByTimeAsync(7_000); // the question itself gives up after 10 s
    expect(t.lines).toEqual([
      'warn Could not read the system proxy for the calls to Gemini and xAI (no answer within 10 s); they keep connecting directly.',
    ]);
  });

  it('says nothing while OUTBOUND_PROXY is set, and tells the route again once it is cleared', async () => {
    const t = setUp(async () => 'PROXY 127.0.0.1:7890');
    running = t.follower;
    t.settings.update({ outboundProxy: 'http://127.0.0.1:8888' });
    await t.follower.start(t.report);
    expect(t.lines).toEqual([]);
    expect(t.onChange).not.toHaveBeenCalled();
    // Still resolved, so that clearing OUTBOUND_PROXY applies to the next call at once.
    expect(t.follower.proxyFor('gemini')).toBe('http://127.0.0.1:7890');

    t.settings.update({ outboundProxy: '' }); // asks again by itself: no refresh() here
    await vi.waitFor(() =>
      expect(t.lines).toEqual([
        'info Calls to Gemini and xAI follow the system proxy http://127.0.0.1:7890.',
      ]),
    );
  });

  it('stops asking once stopped', async () => {
    vi.useFakeTimers();
    const t = setUp(async () => 'DIRECT', 30_000);
    await t.follower.start(t.report);
    t.follower.stop();
    t.settings.update({ proxyUrl: 'https://relay.example' });
    await vi.advanceTimersByTimeAsync(90_000);
    expect(t.asked).toEqual([GEMINI, XAI]);
  });
});
