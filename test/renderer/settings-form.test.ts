/**
 * The generated settings form: field kinds from the schema, when a change applies in each run mode
 * (headless: the deployment's settings read-only), validation worded in both languages, blank fields
 * standing for the default, and what Save sends.
 */
import { describe, expect, it } from 'vitest';
import { SECRET_MASK, type SettingsView } from '../../shared/admin-contract';
import { settingKeys, settingsDefaults, type SettingKey } from '../../shared/settings-schema';
import { translate, type Lang } from '../../renderer/i18n/index';
import {
  appliesOf,
  buildPatch,
  fieldOf as fieldIn,
  formSections,
  initialDrafts,
  MANAGED_ELSEWHERE,
  parseDraft,
  restartsListener,
  revealedDraft,
  validateDraft,
  type Draft,
  type Drafts,
} from '../../renderer/lib/settings-form';
import { messageText } from '../../renderer/lib/validation';

/** The headless web admin's fields (the mode the tests below use unless they say otherwise). */
const fieldOf = (key: SettingKey) => fieldIn(key, 'headless');
/** The message under a field, as the window shows it in a language. */
const errorText = (key: SettingKey, draft: Draft, lang: Lang = 'en') => {
  const error = validateDraft(fieldOf(key), draft);
  return error && messageText(error.message, (k, p) => translate(lang, k, p));
};

const view = (secretsSet: SettingKey[] = []): SettingsView => ({
  values: { ...settingsDefaults('headless'), password: SECRET_MASK, whitelistIps: ['10.0.0.0/8'] },
  secretsSet,
  overridden: [],
  fromEnvironment: [],
});

const fields = formSections('headless').flatMap((s) => s.fields);

describe('field model', () => {
  it('chooses the input from the zod type, with the schema bounds', () => {
    expect(fieldIn('port', 'tray')).toMatchObject({ kind: 'number', min: 0, max: 65535, step: 1 });
    expect(fieldOf('geminiRetryDelay')).toMatchObject({ kind: 'number', min: 0, max: 60, step: 'any' });
    expect(fieldOf('historyImageSubmitType')).toMatchObject({ kind: 'enum', options: ['last', 'all'] });
    expect(fieldOf('includeThoughts').kind).toBe('boolean');
    expect(fieldOf('whitelistIps').kind).toBe('list');
    expect(fieldOf('proxyUrl')).toMatchObject({ kind: 'text', secret: false, applies: 'now' });
    expect(fieldOf('password')).toMatchObject({ kind: 'text', secret: true, env: 'PASSWORD' });
    expect(fieldOf('xaiApiKeys')).toMatchObject({ kind: 'list', secret: true });
    expect(fieldOf('memoryMaxImageMb')).toMatchObject({
      kind: 'number',
      group: 'images',
      env: 'MEMORY_MAX_IMAGE_MB',
      min: 1,
      step: 'any',
    });
  });

  it('words an empty OUTBOUND_PROXY as each mode treats it: the tray follows the system proxy', () => {
    const tray = fieldIn('outboundProxy', 'tray');
    const headless = fieldOf('outboundProxy');
    expect(tray.emptyHint).toEqual({ en: 'Empty: follow the system proxy.', zh: '留空则跟随系统代理。' });
    expect(tray.help.en).toMatch(/SOCKS is not supported.* Empty: follow the system proxy\.$/);
    expect(tray.help.zh).toMatch(/不支持 SOCKS.*留空则跟随系统代理。$/);
    expect(headless.emptyHint).toEqual({ en: 'Empty: direct.', zh: '留空则直连。' });
    expect(headless.help.en).toMatch(/ Empty: direct\.$/);
    expect(headless.help.zh).toMatch(/留空则直连。$/);
    expect(JSON.stringify(tray.help)).not.toMatch(/Empty: direct|直连/);
    // Headless never follows the system proxy (only `direct` mentions it, as what the tray ignores).
    expect(JSON.stringify(headless.help)).not.toMatch(/follow the system proxy|跟随系统代理/);
    // Elsewhere the help is the schema's, in both modes, with nothing shown in an empty field.
    expect(fieldIn('proxyUrl', 'tray').help).toEqual(fieldOf('proxyUrl').help);
    expect(fieldOf('password').emptyHint).toBeUndefined();
  });

  it('leaves out bounds the schema does not set (int() alone is not a bound)', () => {
    const f = fieldOf('maxRequestsPerMinute');
    expect(f.min).toBe(0);
    expect(f.max).toBeUndefined();
  });

  it('has one section per group and every setting once, except those managed elsewhere', () => {
    expect(formSections('tray').map((s) => s.group)).toEqual([
      'server',
      'auth',
      'limits',
      'gemini',
      'images',
      'xai',
    ]);
    const keys = fields.map((f) => f.key);
    expect(keys).not.toContain('geminiApiKeys');
    expect([...keys].sort()).toEqual(settingKeys.filter((k) => !MANAGED_ELSEWHERE.includes(k)).sort());
  });
});

describe('when a change applies', () => {
  it('headless: the deployment sets the listen address, port and data folder; the form shows them read-only', () => {
    expect(appliesOf('port', 'headless')).toBe('deployment');
    expect(appliesOf('host', 'headless')).toBe('deployment');
    expect(appliesOf('dataDir', 'headless')).toBe('deployment');
    // Nothing restarts there: the body limit is saved for the next start.
    expect(appliesOf('maxBodyMb', 'headless')).toBe('next-start');
    expect(fieldOf('port').blankDefault).toBe('7860');
  });

  it('tray: the listener moves for host, port and body limit; the data folder waits for the next start', () => {
    expect(appliesOf('port', 'tray')).toBe('listener');
    expect(appliesOf('host', 'tray')).toBe('listener');
    expect(appliesOf('maxBodyMb', 'tray')).toBe('listener');
    expect(appliesOf('dataDir', 'tray')).toBe('next-start');
  });

  it('everything else applies at once, the image folder included (the store is rebuilt live)', () => {
    for (const mode of ['headless', 'tray'] as const) {
      expect(appliesOf('imageStorageDir', mode)).toBe('now');
      expect(appliesOf('proxyUrl', mode)).toBe('now');
      expect(appliesOf('password', mode)).toBe('now');
    }
    const special = ['port', 'host', 'dataDir', 'maxBodyMb'];
    for (const key of settingKeys.filter((k) => !special.includes(k))) {
      expect(appliesOf(key, 'headless'), key).toBe('now');
    }
  });
});

describe('drafts and validation', () => {
  it('shows the mask for secrets that are set, never their value', () => {
    const drafts = initialDrafts(fields, view(['password']));
    expect(drafts.password).toBe(SECRET_MASK);
    expect(drafts.adminPassword).toBe('');
    expect(drafts.port).toBe('7860');
    expect(drafts.whitelistIps).toBe('10.0.0.0/8');
    expect(drafts.includeThoughts).toBe(true);
  });

  it('parses lists one per line (commas too), numbers as numbers', () => {
    expect(parseDraft(fieldOf('extraModels'), ' a \n\n b,c\n')).toEqual(['a', 'b', 'c']);
    expect(parseDraft(fieldOf('port'), ' 8080 ')).toBe(8080);
    expect(parseDraft(fieldOf('port'), 'x')).toBeNaN();
  });

  it('reads a blank number or text field as the default of the mode, as a blank variable is', () => {
    expect(parseDraft(fieldOf('maxBodyMb'), '  ')).toBe(50);
    expect(validateDraft(fieldOf('maxBodyMb'), '')).toBeNull();
    expect(parseDraft(fieldIn('host', 'headless'), '')).toBe('0.0.0.0');
    expect(parseDraft(fieldIn('host', 'tray'), '')).toBe('127.0.0.1');
    expect(parseDraft(fieldOf('proxyUrl'), '')).toBe(settingsDefaults('headless').proxyUrl);
    expect(fieldOf('maxRequestsPerMinute').blankDefault).toBe('30');
    // Blanking a field that holds the default is no change; blanking another value sends the default.
    const baselines = initialDrafts(fields, view());
    expect(buildPatch(fields, { ...baselines, maxBodyMb: '' }, baselines)).toEqual({});
    expect(buildPatch(fields, { ...baselines, maxBodyMb: '' }, { ...baselines, maxBodyMb: '80' })).toEqual({
      maxBodyMb: 50,
    });
    // A secret is never filled in: a blank password is refused, not turned into "123".
    expect(fieldOf('password').blankDefault).toBeUndefined();
    expect(parseDraft(fieldOf('password'), '')).toBe('');
    expect(parseDraft(fieldOf('whitelistIps'), '')).toEqual([]);
  });

  it("validates with the setting's own schema", () => {
    expect(validateDraft(fieldOf('port'), '8080')).toBeNull();
    expect(errorText('port', '70000')).toBe('At most 65535.');
    expect(errorText('proxyUrl', 'ftp://x')).toMatch(/http/);
    expect(validateDraft(fieldOf('password'), SECRET_MASK)).toBeNull();
    expect(errorText('password', '')).toBe('Required.');
  });

  it('names the line of a bad list item', () => {
    const error = validateDraft(fieldOf('whitelistIps'), '10.0.0.1\n999.1.1.1');
    expect(error).toMatchObject({ line: 2, message: { key: 'validation.ip_or_cidr' } });
    expect(errorText('whitelistIps', '10.0.0.1\n999.1.1.1')).toMatch(/IP/);
  });

  it("words every message in Chinese, not in English nor in zod's raw words", () => {
    expect(errorText('port', '70000', 'zh')).toBe('不能大于 65535。');
    expect(errorText('port', '-1', 'zh')).toBe('不能小于 0。');
    expect(errorText('port', '1.5', 'zh')).toBe('请输入整数。');
    expect(errorText('geminiRetryDelay', '61', 'zh')).toBe('不能大于 60。');
    expect(errorText('password', '', 'zh')).toBe('不能为空。');
    expect(errorText('proxyUrl', 'ftp://x', 'zh')).toBe(translate('zh', 'validation.http_url'));
    expect(errorText('hostUrl', 'nope', 'zh')).toBe(translate('zh', 'validation.http_url_or_empty'));
    expect(errorText('trustProxy', 'maybe', 'zh')).toBe(translate('zh', 'validation.trust_proxy'));
    expect(errorText('whitelistIps', '999.1.1.1', 'zh')).toBe(translate('zh', 'validation.ip_or_cidr'));
    for (const [key, draft] of [
      ['port', '70000'],
      ['port', 'x'],
      ['password', ''],
      ['proxyUrl', 'ftp://x'],
      ['trustProxy', 'maybe'],
      ['whitelistIps', 'nope'],
    ] as const) {
      const zh = errorText(key, draft, 'zh') ?? '';
      expect(zh, key).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, key).not.toMatch(/must|expected|Invalid|NaN|数值过小|期望/);
    }
  });
  it('takes a revealed list in any separator', () => {
    expect(revealedDraft(fieldOf('xaiApiKeys'), 'k1, k2\nk3')).toBe('k1\nk2\nk3');
    expect(revealedDraft(fieldOf('xaiApiKeys'), '["k1","k2"]')).toBe('k1\nk2');
    expect(revealedDraft(fieldOf('password'), ' p w ')).toBe(' p w ');
  });
});

describe('what Save sends', () => {
  const baselines = initialDrafts(fields, view(['password', 'qiniuSecretKey']));

  it('sends nothing when nothing changed', () => {
    expect(buildPatch(fields, baselines, baselines)).toEqual({});
  });

  it('sends only the changed keys, as values of their type', () => {
    const drafts: Drafts = { ...baselines, port: '8080', includeThoughts: false, extraModels: 'm1\nm2' };
    expect(buildPatch(fields, drafts, baselines)).toEqual({
      port: 8080,
      includeThoughts: false,
      extraModels: ['m1', 'm2'],
    });
  });

  it('does not count a different spelling of the same value as a change', () => {
    const drafts: Drafts = { ...baselines, port: '7860.0', whitelistIps: ' 10.0.0.0/8 \n' };
    expect(buildPatch(fields, drafts, baselines)).toEqual({});
  });

  it('leaves out secrets still masked and sends replaced ones', () => {
    const drafts: Drafts = { ...baselines, qiniuSecretKey: 'new-sk' };
    expect(buildPatch(fields, drafts, baselines)).toEqual({ qiniuSecretKey: 'new-sk' });
    // The mask itself is never a value, even against a revealed baseline.
    expect(buildPatch(fields, { ...baselines, password: 'hunter2' }, baselines)).toEqual({
      password: 'hunter2',
    });
    expect(
      buildPatch(fields, { ...baselines, password: SECRET_MASK }, { ...baselines, password: 'x' }),
    ).toEqual({});
  });

  it('does not send a revealed secret back unchanged', () => {
    const revealed = { ...baselines, password: 'hunter2' };
    expect(buildPatch(fields, revealed, revealed)).toEqual({});
    expect(buildPatch(fields, { ...revealed, password: 'hunter3' }, revealed)).toEqual({
      password: 'hunter3',
    });
  });

  it('knows which changes restart the listener: only in the tray app', () => {
    const tray = formSections('tray').flatMap((s) => s.fields);
    expect(restartsListener({ port: 8080 }, tray)).toBe(true);
    expect(restartsListener({ maxBodyMb: 80 }, tray)).toBe(true);
    expect(restartsListener({ proxyUrl: 'https://x' }, tray)).toBe(false);
    expect(restartsListener({ dataDir: '/elsewhere' }, tray)).toBe(false);
    // Headless never moves its listener.
    expect(restartsListener({ maxBodyMb: 80 }, fields)).toBe(false);
  });
});
