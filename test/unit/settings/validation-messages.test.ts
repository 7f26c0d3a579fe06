/**
 * The schema's own validation messages: each travels with a code (which the settings form words in
 * its language), while the server and the environment parser keep showing the English text, naming
 * the setting or the variable.
 */
import { describe, expect, it } from 'vitest';
import { parseSettingsFromEnv } from '../../../shared/settings-env';
import { settingSpecs, type SettingKey } from '../../../shared/settings-schema';
import {
  VALIDATION_MESSAGES,
  validationCodeOf,
  type ValidationCode,
} from '../../../shared/settings/messages';
import { parseSettingValue } from '../../../main/server/settings/validate-setting';

/** A value each code refuses, on a setting that uses it. */
const REFUSED: [ValidationCode, SettingKey, unknown, string][] = [
  ['http_url', 'proxyUrl', 'ftp://x', 'PROXY_URL=ftp://x'],
  ['http_url_or_empty', 'hostUrl', 'example.com', 'HOST_URL=example.com'],
  ['ip_or_cidr', 'whitelistIps', ['10.0.0.1', 'not-an-ip'], 'WHITELIST_IPS=10.0.0.1,not-an-ip'],
  ['trust_proxy', 'trustProxy', 'sometimes', 'TRUST_PROXY=sometimes'],
  ['domain', 'qiniuBucketDomain', 'img.example.com/path', 'QINIU_BUCKET_DOMAIN=img.example.com/path'],
  ['qiniu_region', 'qiniuRegion', 'z 0', 'QINIU_REGION=z_0'],
  ['cos_region', 'tencentRegion', 'guangzhou', 'TENCENT_REGION=guangzhou'],
  ['proxy_url', 'outboundProxy', 'socks5://127.0.0.1:7890', 'OUTBOUND_PROXY=socks5://127.0.0.1:7890'],
];

describe('validation messages', () => {
  it('every code is used by a setting, which puts it in its issue with the English text', () => {
    expect(REFUSED.map(([code]) => code).sort()).toEqual(Object.keys(VALIDATION_MESSAGES).sort());
    for (const [code, key, value] of REFUSED) {
      const result = settingSpecs[key].schema.safeParse(value);
      const issue = result.error?.issues[0];
      expect(issue && validationCodeOf(issue), key).toBe(code);
      expect(issue?.message, key).toBe(VALIDATION_MESSAGES[code]);
    }
  });

  it("zod's built-in issues carry no code: the form words them from their bounds", () => {
    const issue = settingSpecs.port.schema.safeParse(70000).error?.issues[0];
    expect(issue && validationCodeOf(issue)).toBeNull();
  });

  it('a headless start still says it in English, naming the variable', () => {
    for (const [code, , , assignment] of REFUSED) {
      const [name, value] = assignment.split('=') as [string, string];
      const result = parseSettingsFromEnv({ [name]: value }, 'headless');
      expect(result.ok, name).toBe(false);
      // A list item's error also says which item: "… (item 1)".
      if (!result.ok) expect(result.errors[0]).toMatch(new RegExp(`^${name}: `));
      if (!result.ok) expect(result.errors[0]).toContain(VALIDATION_MESSAGES[code]);
    }
  });

  it('the admin API still answers in English, naming the setting and its variable', () => {
    expect(() => parseSettingValue('trustProxy', 'sometimes')).toThrow(
      `Invalid value for 'trustProxy' (Trust proxy headers, TRUST_PROXY): ${VALIDATION_MESSAGES.trust_proxy}`,
    );
  });
});
