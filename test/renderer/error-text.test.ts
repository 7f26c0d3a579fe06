/**
 * Server-side failures in the window's language: admin error codes (a wrong password on the login
 * page) and the listener's failures (a taken port, a blocked start), with the server's own English
 * words kept for causes the window does not know.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayStatus } from '../../shared/admin-dto';
import { translate, type Lang, type Translate } from '../../renderer/i18n/index';
import { AdminError } from '../../renderer/lib/admin-error';
import { errorText } from '../../renderer/lib/error-text';
import { listenErrorText } from '../../renderer/lib/listen-problem';

const tr =
  (lang: Lang): Translate =>
  (key, params) =>
    translate(lang, key, params);

describe('errorText', () => {
  it('words the codes it knows, in either language', () => {
    const wrong = new AdminError(401, 'admin_unauthorized', 'Wrong admin password.');
    expect(errorText(wrong, tr('zh'))).toBe('管理密码错误。');
    expect(errorText(wrong, tr('en'))).toBe('Wrong admin password.');
    const locked = new AdminError(429, 'auth_attempts_exceeded', 'Too many wrong passwords from 1.2.3.4.');
    expect(errorText(locked, tr('zh'))).toBe(translate('zh', 'error.auth_attempts_exceeded'));
    expect(errorText(new AdminError(0, 'network_error', 'Failed to fetch'), tr('zh'))).toBe(
      '无法连接网关（Failed to fetch）。',
    );
  });

  it("keeps the server's message for any other code, and the text of any other error", () => {
    expect(errorText(new AdminError(400, 'invalid_request', "Unknown setting 'x'."), tr('zh'))).toBe(
      "Unknown setting 'x'.",
    );
    expect(errorText(new Error('boom'), tr('zh'))).toBe('boom');
    expect(errorText('plain', tr('en'))).toBe('plain');
  });
});

describe('listenErrorText', () => {
  const failed = (listenError: string, listenProblem: GatewayStatus['listenProblem']) => ({
    listenError,
    listenProblem,
  });

  it('nothing while nothing failed', () => {
    expect(listenErrorText({ listenError: null, listenProblem: null }, tr('zh'), 'zh')).toBeNull();
  });

  it('a taken port, a refused port, a missing address, an unknown host name', () => {
    const inUse = failed('port 7860 is in use', { code: 'port_in_use', port: 7860 });
    expect(listenErrorText(inUse, tr('zh'), 'zh')).toBe('端口 7860 已被占用');
    expect(listenErrorText(inUse, tr('en'), 'en')).toBe('port 7860 is in use');
    expect(listenErrorText(failed('x', { code: 'port_denied', port: 80 }), tr('zh'), 'zh')).toBe(
      '没有权限监听端口 80',
    );
    expect(
      listenErrorText(failed('x', { code: 'address_unavailable', host: '10.9.9.9' }), tr('zh'), 'zh'),
    ).toBe('此电脑上没有地址 10.9.9.9');
    expect(listenErrorText(failed('x', { code: 'host_unresolved', host: 'nas.local' }), tr('zh'), 'zh')).toBe(
      '无法解析主机名 nas.local',
    );
  });

  it('a failed move says where the old listener still serves', () => {
    const moved = failed('port 9 is in use (still serving on http://127.0.0.1:7860)', {
      code: 'port_in_use',
      port: 9,
      stillServing: 'http://127.0.0.1:7860',
    });
    expect(listenErrorText(moved, tr('zh'), 'zh')).toBe(
      '端口 9 已被占用（仍在 http://127.0.0.1:7860 上提供服务）',
    );
  });

  it("the blocked start names the settings by their labels in the window's language", () => {
    const blocked = failed('the saved settings … could not be decrypted', {
      code: 'secrets_unreadable',
      settings: ['password', 'adminPassword'],
    });
    const zh = listenErrorText(blocked, tr('zh'), 'zh') ?? '';
    expect(zh).toMatch(/^无法解密已保存的“访问密码（客户端 API Key）”和“管理密码”/);
    expect(zh).not.toMatch(/decrypt|keychain|setting/i);
    expect(listenErrorText(blocked, tr('en'), 'en')).toMatch(
      /^could not decrypt the saved "Password \(API key for clients\)" and "Admin password"/,
    );
  });

  it("an unknown cause (or a code from a newer gateway) shows the server's words", () => {
    expect(listenErrorText(failed('listen EINVAL: weird', null), tr('zh'), 'zh')).toBe(
      'listen EINVAL: weird',
    );
    const future = failed('something new', {
      code: 'from_the_future',
    } as unknown as GatewayStatus['listenProblem']);
    expect(listenErrorText(future, tr('zh'), 'zh')).toBe('something new');
  });
});
