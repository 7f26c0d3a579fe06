/** The default-password warning headless and the tray app log: network address × default password. */
import { describe, expect, it } from 'vitest';
import { settingsDefaults } from '../../../shared/settings-schema';
import {
  DEFAULT_PASSWORD_WARNING,
  exposedPasswordWarning,
} from '../../../main/server/admin/exposed-password';

const DEFAULT = '123';

describe('exposedPasswordWarning', () => {
  it('checks against the settings’ own default password, in both run modes', () => {
    expect(settingsDefaults('headless').password).toBe(DEFAULT);
    expect(settingsDefaults('tray').password).toBe(DEFAULT);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'fd00::1', 'gateway.lan'])(
    '%s with the default password: the warning',
    (host) => {
      expect(exposedPasswordWarning(host, DEFAULT)).toBe(DEFAULT_PASSWORD_WARNING);
    },
  );

  it.each(['127.0.0.1', '127.0.0.2', '::1', 'localhost', '::ffff:127.0.0.1'])(
    '%s (loopback) with the default password: none',
    (host) => {
      expect(exposedPasswordWarning(host, DEFAULT)).toBeUndefined();
    },
  );

  it.each(['0.0.0.0', '::', '192.168.1.20'])('%s with a password of its own: none', (host) => {
    expect(exposedPasswordWarning(host, 'a-long-own-password')).toBeUndefined();
    expect(exposedPasswordWarning(host, '1234')).toBeUndefined();
  });

  it('says what is wrong and what to do, loudly', () => {
    expect(DEFAULT_PASSWORD_WARNING).toMatch(/^!!! SECURITY: .*default password "123".*Set PASSWORD\. !!!$/);
  });
});
