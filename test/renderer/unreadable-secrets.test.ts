/**
 * The dashboard's `secrets_unreadable` warning in both languages: the settings named by their labels,
 * the default in use, where to enter them again (Gemini keys: the Keys page).
 */
import { describe, expect, it } from 'vitest';
import { translate, type Lang, type Translate } from '../../renderer/i18n/index';
import { unreadableSecretsText } from '../../renderer/lib/unreadable-secrets';

const tr =
  (lang: Lang): Translate =>
  (key, params) =>
    translate(lang, key, params);

describe('unreadableSecretsText', () => {
  it('names the settings by their labels and says to enter them again in Settings', () => {
    expect(unreadableSecretsText(['outboundProxy'], tr('en'), 'en')).toBe(
      'The system keychain could not decrypt the saved "Outbound proxy", so the default is in use. ' +
        'Enter the value again in Settings: saving stores it afresh.',
    );
    expect(unreadableSecretsText(['outboundProxy', 'metricsToken'], tr('zh'), 'zh')).toBe(
      `系统钥匙串无法解密已保存的“出站代理”和“监控令牌”，目前使用的是默认值。` +
        '请在设置中重新填写，保存后即重新存储。',
    );
  });

  it('sends Gemini keys to the Keys page, where they are entered', () => {
    expect(unreadableSecretsText(['geminiApiKeys', 'xaiApiKeys'], tr('en'), 'en')).toMatch(
      /^The system keychain could not decrypt the saved "Gemini API keys" and "xAI API keys \(optional pool\)", .* afresh\. Gemini API keys are added again on the Keys page\.$/,
    );
    expect(unreadableSecretsText(['geminiApiKeys'], tr('zh'), 'zh')).toMatch(
      /^系统钥匙串无法解密已保存的“Gemini API 密钥”，.*重新存储。Gemini API 密钥请在“密钥”页重新添加。$/,
    );
  });

  it('names a key this build does not know by itself', () => {
    expect(unreadableSecretsText(['futureSecret'], tr('en'), 'en')).toMatch(/saved "futureSecret",/);
  });
});
