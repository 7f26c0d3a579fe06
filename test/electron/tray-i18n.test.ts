/**
 * The tray words each listen problem from its code, in its own language: in English as the listener
 * itself says it (so the English tray reads as the log), in Chinese on a Chinese system; the
 * listener's English words are shown as they are only for a cause without a code.
 */
import { describe, expect, it } from 'vitest';
import type { ListenProblem } from '../../shared/admin-dto';
import { listenFailureText } from '../../shared/listen-problem';
import {
  describeListenError,
  stillServingFailure as stillServing,
  type ListenFailure,
} from '../../main/electron/listen-error';
import { shellTextFor } from '../../main/electron/tray-i18n';
import { unreadableSecretsReason } from '../../main/electron/unreadable-secrets';

const en = shellTextFor('en-US').listen;
const zh = shellTextFor('zh-CN').listen;

const listenFailed = (code: string, host: string, port: number) =>
  describeListenError(Object.assign(new Error(`listen ${code}`), { code }), host, port);
const status = ({ message, problem }: ListenFailure) => ({ listenError: message, listenProblem: problem });

const inUse = listenFailed('EADDRINUSE', '127.0.0.1', 7860);
const FAILURES: [string, ListenFailure, string][] = [
  ['a port in use', inUse, '端口 7860 已被占用'],
  ['a port denied', listenFailed('EACCES', '0.0.0.0', 80), '没有权限监听端口 80'],
  ['an address unavailable', listenFailed('EADDRNOTAVAIL', '10.9.9.9', 7860), '此电脑上没有地址 10.9.9.9'],
  ['a host unresolved', listenFailed('ENOTFOUND', 'nas.local', 7860), '无法解析主机名 nas.local'],
  ['a host lookup failing', listenFailed('EAI_AGAIN', 'nas.local', 7860), '无法解析主机名 nas.local'],
  [
    'a failed move',
    stillServing(listenFailed('EADDRINUSE', '127.0.0.1', 7861), 'http://127.0.0.1:7860'),
    '端口 7861 已被占用（仍在 http://127.0.0.1:7860 上提供服务）',
  ],
  [
    'one secret unreadable',
    unreadableSecretsReason(['adminPassword'])!,
    '无法解密已保存的“管理密码”（系统钥匙串可能已锁定或不可用），因此服务不会监听：' +
      '请解锁钥匙串后重启 Gemgate，或在设置中重新填写',
  ],
  [
    'two secrets unreadable',
    unreadableSecretsReason(['password', 'adminPassword'])!,
    '无法解密已保存的“访问密码（客户端 API Key）”和“管理密码”（系统钥匙串可能已锁定或不可用），' +
      '因此服务不会监听：请解锁钥匙串后重启 Gemgate，或在设置中重新填写',
  ],
];

describe('listen problems in the tray', () => {
  it('nothing while nothing failed', () => {
    expect(listenFailureText({ listenError: null }, zh)).toBeNull();
    expect(listenFailureText({ listenError: null, listenProblem: null }, en)).toBeNull();
  });

  it.each(FAILURES)('%s: in English, the words the listener logs', (_name, failure) => {
    expect(failure.problem).toBeDefined();
    expect(listenFailureText(status(failure), en)).toBe(failure.message);
  });

  it.each(FAILURES)('%s: in Chinese, worded from its code', (_name, failure, chinese) => {
    const text = listenFailureText(status(failure), zh);
    expect(text).toBe(chinese);
    expect(text).not.toMatch(/port|use|denied|address|host name|decrypt|keychain|setting|serving/i);
  });

  it("an unknown cause (or a code this build does not know) keeps the listener's English words", () => {
    const weird = listenFailed('EINVAL', '127.0.0.1', 7860);
    expect(weird.problem).toBeUndefined();
    expect(listenFailureText(status(weird), zh)).toBe('listen EINVAL');
    const future = { code: 'from_the_future' } as unknown as ListenProblem;
    expect(listenFailureText({ listenError: 'something new', listenProblem: future }, zh)).toBe(
      'something new',
    );
  });
});
