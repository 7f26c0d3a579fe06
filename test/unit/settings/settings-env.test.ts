import { describe, expect, it } from 'vitest';
import { parseSettingsFromEnv, splitList } from '../../../shared/settings-env';
import { settingsDefaults, settingsSchema, settingKeys, settingSpecs } from '../../../shared/settings-schema';

const parse = (env: Record<string, string>, mode: 'headless' | 'tray' = 'headless') =>
  parseSettingsFromEnv(env, mode);

const settingsOf = (env: Record<string, string>, mode: 'headless' | 'tray' = 'headless') => {
  const result = parse(env, mode);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.settings;
};

const errorsOf = (env: Record<string, string>) => {
  const result = parse(env);
  if (result.ok) throw new Error('expected an invalid configuration');
  return result.errors;
};

describe('settings from the environment', () => {
  it('uses the seed defaults when nothing is set', () => {
    const s = settingsOf({});
    expect(s.port).toBe(7860);
    expect(s.host).toBe('0.0.0.0');
    expect(s.password).toBe('123');
    expect(s.maxRequestsPerMinute).toBe(30);
    expect(s.maxRequestsPerDayPerIp).toBe(600);
    expect(s.proxyUrl).toBe('https://generativelanguage.googleapis.com');
    expect(s.historyImageSubmitType).toBe('last');
    expect(s.gemini429Retries).toBe(3);
    expect(s.gemini503Retries).toBe(3);
    expect(s.geminiEmptyResponseRetries).toBe(0);
    expect(s.geminiRetryDelay).toBe(1);
    expect(s.geminiApiKeys).toEqual([]);
  });

  it('has different defaults for the tray app where the design says so', () => {
    expect(settingsOf({}, 'tray').host).toBe('127.0.0.1');
    expect(settingsDefaults('tray').host).toBe('127.0.0.1');
    expect(settingsDefaults('headless').host).toBe('0.0.0.0');
  });

  it('reads GEMINI_API_KEYS separated by commas, spaces and new lines, without duplicates or blanks', () => {
    const s = settingsOf({ GEMINI_API_KEYS: ' AIzaA,AIzaB  AIzaC\nAIzaA,,\r\n AIzaD ,' });
    expect(s.geminiApiKeys).toEqual(['AIzaA', 'AIzaB', 'AIzaC', 'AIzaD']);
  });

  it('reads keys written the ways the Python proxy accepted: quoted, as a JSON array, with full-width commas', () => {
    const expected = ['AIzaA', 'AIzaB', 'AIzaC'];
    expect(settingsOf({ GEMINI_API_KEYS: '"AIzaA","AIzaB","AIzaC"' }).geminiApiKeys).toEqual(expected);
    expect(settingsOf({ GEMINI_API_KEYS: '["AIzaA", "AIzaB",\n "AIzaC"]' }).geminiApiKeys).toEqual(expected);
    expect(settingsOf({ GEMINI_API_KEYS: "'AIzaA,AIzaB,AIzaC'" }).geminiApiKeys).toEqual(expected);
    expect(settingsOf({ GEMINI_API_KEYS: 'AIzaA，AIzaB；AIzaC' }).geminiApiKeys).toEqual(expected);
    expect(settingsOf({ GEMINI_API_KEYS: 'AIzaA | AIzaB、AIzaC' }).geminiApiKeys).toEqual(expected);
    // Inside a key nothing changes: `-` and `_` are part of Google's key alphabet.
    expect(settingsOf({ GEMINI_API_KEYS: 'AIza-x_y' }).geminiApiKeys).toEqual(['AIza-x_y']);
  });

  it('takes a choice in any case (the Python proxy lower-cased IMAGE_STORAGE_TYPE)', () => {
    const s = settingsOf({ IMAGE_STORAGE_TYPE: 'Local', HISTORY_IMAGE_SUBMIT_TYPE: 'ALL' });
    expect(s.imageStorageType).toBe('local');
    expect(s.historyImageSubmitType).toBe('all');
    // Free text is kept exactly as written.
    expect(settingsOf({ PASSWORD: 'MixedCase-Pw' }).password).toBe('MixedCase-Pw');
  });

  it('treats a blank variable as unset (HF Spaces cannot unset a secret)', () => {
    expect(settingsOf({ PASSWORD: '', PORT: '  ' }).password).toBe('123');
    expect(settingsOf({ PORT: '' }).port).toBe(7860);
  });

  it('converts every format', () => {
    const s = settingsOf({
      PORT: '8080',
      GEMINI_RETRY_DELAY: '0.5',
      INCLUDE_THOUGHTS: 'off',
      EXTRA_MODELS: 'a-model, b-model',
      WHITELIST_IPS: '10.0.0.0/8, ::1',
      TRUST_PROXY: '10.0.0.1,192.168.0.0/16',
      HISTORY_IMAGE_SUBMIT_TYPE: 'all',
    });
    expect(s.port).toBe(8080);
    expect(s.geminiRetryDelay).toBe(0.5);
    expect(s.includeThoughts).toBe(false);
    expect(s.extraModels).toEqual(['a-model', 'b-model']);
    expect(s.whitelistIps).toEqual(['10.0.0.0/8', '::1']);
    expect(s.trustProxy).toBe('10.0.0.1,192.168.0.0/16');
    expect(s.historyImageSubmitType).toBe('all');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected a whole number, got "abc"'],
    [{ PORT: '70000' }, 'PORT:'],
    [{ PORT: '1.5' }, 'PORT: expected a whole number'],
    [{ MAX_REQUESTS_PER_MINUTE: '-1' }, 'MAX_REQUESTS_PER_MINUTE:'],
    [{ GEMINI_RETRY_DELAY: 'soon' }, 'GEMINI_RETRY_DELAY: expected a number'],
    [{ INCLUDE_THOUGHTS: 'maybe' }, 'INCLUDE_THOUGHTS: expected true or false'],
    [{ HISTORY_IMAGE_SUBMIT_TYPE: 'first' }, 'HISTORY_IMAGE_SUBMIT_TYPE:'],
    [{ PROXY_URL: 'ftp://x' }, 'PROXY_URL: must be an http(s) URL'],
    [{ HOST_URL: 'example.com' }, 'HOST_URL:'],
    [{ WHITELIST_IPS: '10.0.0.1,not-an-ip' }, 'WHITELIST_IPS: must be an IP address or CIDR'],
    [{ TRUST_PROXY: 'sometimes' }, 'TRUST_PROXY:'],
  ])('rejects %j naming the variable', (env, expected) => {
    const errors = errorsOf(env);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it('reads image storage settings a real deployment uses: ap-beijing-1, MEMORY_MAX_IMAGE_MB', () => {
    const s = settingsOf({ TENCENT_REGION: 'ap-beijing-1', MEMORY_MAX_IMAGE_MB: '64.5' });
    expect(s.tencentRegion).toBe('ap-beijing-1');
    expect(s.memoryMaxImageMb).toBe(64.5);
    expect(settingsOf({}).memoryMaxImageMb).toBe(256);
    expect(errorsOf({ MEMORY_MAX_IMAGE_MB: '0' })[0]).toContain('MEMORY_MAX_IMAGE_MB:');
    expect(errorsOf({ TENCENT_REGION: 'Beijing' })[0]).toContain('TENCENT_REGION: must be a COS region');
  });

  it('reads OUTBOUND_PROXY as proxy apps and proxy URLs write it, and refuses SOCKS with a way out', () => {
    expect(settingsOf({}).outboundProxy).toBe('');
    for (const value of [
      'http://127.0.0.1:7890',
      '127.0.0.1:10809',
      'http://user:p%40ss@proxy.corp:3128/',
      'https://proxy.example.com',
      'http://[::1]:7890',
      // Characters URL parsers percent-encode in credentials, and a name starting with a digit.
      'http://alice:pa^ss|x@proxy.corp:3128',
      'http://3proxy:3128',
      'direct',
      'DIRECT',
    ]) {
      expect(settingsOf({ OUTBOUND_PROXY: value }).outboundProxy).toBe(value);
    }
    // Each of these would make undici refuse to build the proxy dispatcher: out-of-range ports, a
    // dotted number that is no IPv4 address, a full-width colon (a Chinese input method's), a broken
    // percent-escape in the password, a name ending in a number (URL parsers read it as IPv4).
    for (const value of [
      'socks5://127.0.0.1:7890',
      'localhost',
      'http://proxy/path',
      'ftp://proxy:21',
      'http://127.0.0.1:78900',
      'http://127.0.0.1:65536',
      '127.0.0.1:0',
      'http://999.1.1.1:80',
      'http://127.0.0.1：7890',
      'http://alice:50%off@127.0.0.1:7890',
      'http://u:%FF@127.0.0.1:7890',
      'http://proxy.5:8080',
    ]) {
      expect(errorsOf({ OUTBOUND_PROXY: value })[0]).toContain(
        "OUTBOUND_PROXY: must be empty, direct, or an HTTP proxy such as http://127.0.0.1:7890 (SOCKS is not supported: use your proxy app's HTTP port)",
      );
    }
  });

  it('reports every invalid variable at once', () => {
    const errors = errorsOf({ PORT: 'x', GEMINI_429_RETRIES: 'y' });
    expect(errors.map((e) => e.split(':')[0])).toEqual(['PORT', 'GEMINI_429_RETRIES']);
  });

  it('splitList keeps order and drops duplicates', () => {
    expect(splitList('b,a;b  c')).toEqual(['b', 'a', 'c']);
  });

  it('splitList takes off quotes and brackets around entries, and only around them', () => {
    expect(splitList(`['10.0.0.0/8', "::1", (a-model)]`)).toEqual(['10.0.0.0/8', '::1', 'a-model']);
    expect(splitList('[::1] "x" ""')).toEqual(['::1', 'x']);
  });
});

describe('settings schema', () => {
  it('every setting has a unique env name, labels and help in both languages', () => {
    const envs = settingKeys.map((k) => settingSpecs[k].env);
    expect(new Set(envs).size).toBe(envs.length);
    for (const key of settingKeys) {
      const s = settingSpecs[key];
      expect(s.env).toMatch(/^[A-Z][A-Z0-9_]*$/);
      for (const text of [s.label.en, s.label.zh, s.help.en, s.help.zh])
        expect(text.length).toBeGreaterThan(1);
    }
  });

  it('the defaults of both modes satisfy the schema', () => {
    expect(settingsSchema.safeParse(settingsDefaults('headless')).success).toBe(true);
    expect(settingsSchema.safeParse(settingsDefaults('tray')).success).toBe(true);
  });

  it('the complete schema rejects a wrong value', () => {
    const result = settingsSchema.safeParse({ ...settingsDefaults('headless'), port: 'x' });
    expect(result.success).toBe(false);
  });
});
