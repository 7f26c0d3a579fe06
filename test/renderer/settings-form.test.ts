/** The generated settings form: field kinds from the schema, validation, and what Save sends. */
import { describe, expect, it } from 'vitest';
import { SECRET_MASK, type SettingsView } from '../../shared/admin-contract';
import { settingKeys, settingsDefaults, type SettingKey } from '../../shared/settings-schema';
import {
  buildPatch,
  fieldOf,
  formSections,
  initialDrafts,
  MANAGED_ELSEWHERE,
  parseDraft,
  restartsListener,
  revealedDraft,
  validateDraft,
  type Drafts,
} from '../../renderer/lib/settings-form';

const view = (secretsSet: SettingKey[] = []): SettingsView => ({
  values: { ...settingsDefaults('headless'), password: SECRET_MASK, whitelistIps: ['10.0.0.0/8'] },
  secretsSet,
  overridden: [],
  fromEnvironment: [],
});

const fields = formSections().flatMap((s) => s.fields);

describe('field model', () => {
  it('chooses the input from the zod type, with the schema bounds', () => {
    expect(fieldOf('port')).toMatchObject({ kind: 'number', min: 0, max: 65535, step: 1, restart: true });
    expect(fieldOf('geminiRetryDelay')).toMatchObject({ kind: 'number', min: 0, max: 60, step: 'any' });
    expect(fieldOf('historyImageSubmitType')).toMatchObject({ kind: 'enum', options: ['last', 'all'] });
    expect(fieldOf('includeThoughts').kind).toBe('boolean');
    expect(fieldOf('whitelistIps').kind).toBe('list');
    expect(fieldOf('proxyUrl')).toMatchObject({ kind: 'text', secret: false, restart: false });
    expect(fieldOf('password')).toMatchObject({ kind: 'text', secret: true, env: 'PASSWORD' });
    expect(fieldOf('xaiApiKeys')).toMatchObject({ kind: 'list', secret: true });
  });

  it('leaves out bounds the schema does not set (int() alone is not a bound)', () => {
    const f = fieldOf('maxRequestsPerMinute');
    expect(f.min).toBe(0);
    expect(f.max).toBeUndefined();
  });

  it('has one section per group and every setting once, except those managed elsewhere', () => {
    expect(formSections().map((s) => s.group)).toEqual([
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
    expect(parseDraft(fieldOf('port'), '')).toBeNaN();
  });

  it("validates with the setting's own schema", () => {
    expect(validateDraft(fieldOf('port'), '8080')).toBeNull();
    expect(validateDraft(fieldOf('port'), '70000')?.message).toMatch(/65535/);
    expect(validateDraft(fieldOf('port'), '')).not.toBeNull();
    expect(validateDraft(fieldOf('proxyUrl'), 'ftp://x')?.message).toMatch(/http/);
    expect(validateDraft(fieldOf('password'), SECRET_MASK)).toBeNull();
    expect(validateDraft(fieldOf('password'), '')).not.toBeNull();
  });

  it('names the line of a bad list item', () => {
    const error = validateDraft(fieldOf('whitelistIps'), '10.0.0.1\n999.1.1.1');
    expect(error).toMatchObject({ line: 2 });
    expect(error?.message).toMatch(/IP/);
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

  it('knows which changes restart the listener', () => {
    expect(restartsListener({ port: 8080 })).toBe(true);
    expect(restartsListener({ proxyUrl: 'https://x' })).toBe(false);
  });
});
