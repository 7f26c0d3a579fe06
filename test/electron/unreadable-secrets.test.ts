/**
 * Which undecryptable secrets keep the tray's listener down: only those that keep strangers out. The
 * reason's wording is checked where it is shown, in desktop-app.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { unreadableSecretsReason } from '../../main/electron/unreadable-secrets';

describe('unreadableSecretsReason', () => {
  it('blocks for the API password or the admin password', () => {
    expect(unreadableSecretsReason(['geminiApiKeys', 'password'])?.message).toMatch(
      /^the saved setting "Password \(API key for clients\)" could not be decrypted .* for it in Settings$/,
    );
    expect(unreadableSecretsReason(['adminPassword'])?.message).toMatch(
      /^the saved setting "Admin password" could not/,
    );
  });

  it('names the settings as a code too, for the window to word in its language', () => {
    expect(unreadableSecretsReason(['adminPassword', 'geminiApiKeys', 'password'])?.problem).toEqual({
      code: 'secrets_unreadable',
      settings: ['password', 'adminPassword'],
    });
  });

  it('lets the listener start without other secrets: their defaults open nothing to strangers', () => {
    expect(unreadableSecretsReason([])).toBeNull();
    // No keys means failed requests; an empty metrics token means "the admin password".
    expect(
      unreadableSecretsReason(['geminiApiKeys', 'xaiApiKeys', 'metricsToken', 'qiniuSecretKey']),
    ).toBeNull();
  });
});
