/**
 * The words of the tray menu and of desktop notifications, in the two languages the UI has (zh, en),
 * chosen from the OS locale. The window's own texts live in renderer/i18n.
 *
 * Listen problems are worded here from their code, as the window words them (shared/listen-problem.ts
 * picks which words a status gets). The English words are the listener's own (LISTEN_WORDS_EN in
 * listen-error.ts), so the English tray reads as the log does.
 */
import { settingList, type ListenProblemWords } from '../../shared/listen-problem';
import type { SettingKey } from '../../shared/settings-schema';
import { LISTEN_WORDS_EN } from './listen-error';

/** What a failed listener's notification tells the user to change. */
export type ListenFix = 'port' | 'host';

export interface ShellText {
  statusRunning: (address: string) => string;
  statusStarting: string;
  statusStopped: string;
  statusError: (error: string) => string;
  copyBaseUrl: string;
  copyPassword: string;
  openDashboard: string;
  openLogs: string;
  openGallery: string;
  startServer: string;
  stopServer: string;
  launchAtLogin: string;
  quit: string;
  tooltip: (status: string) => string;
  listen: ListenProblemWords;
  notifyListenFailedTitle: string;
  /** A move to a new address failed; the old listener still serves. */
  notifyListenMoveFailedTitle: string;
  /** `moved`: the old listener still serves, so Start is not offered until Stop. */
  notifyListenFailedBody: (error: string, fix: ListenFix, moved: boolean) => string;
  /** A start the guard refused: its reason carries its own advice. */
  notifyBlockedBody: (error: string) => string;
  notifyAllKeysTitle: string;
  notifyAllKeysBody: (total: number) => string;
  notifyKeyDisabledTitle: (count: number) => string;
  notifyKeyDisabledBody: (keys: string) => string;
  /** Saved secrets (not the passwords) the keychain could not decrypt: their defaults are in use. */
  notifySecretsUnreadableTitle: string;
  notifySecretsUnreadableBody: (settings: readonly SettingKey[]) => string;
}

const en: ShellText = {
  statusRunning: (address) => `Running on ${address}`,
  statusStarting: 'Starting…',
  statusStopped: 'Server stopped',
  statusError: (error) => `Not running: ${error}`,
  copyBaseUrl: 'Copy API base URL',
  copyPassword: 'Copy password',
  openDashboard: 'Open dashboard',
  openLogs: 'Open logs',
  openGallery: 'Open gallery',
  startServer: 'Start server',
  stopServer: 'Stop server',
  launchAtLogin: 'Launch at login',
  quit: 'Quit Gemgate',
  tooltip: (status) => `Gemgate — ${status}`,
  listen: LISTEN_WORDS_EN,
  notifyListenFailedTitle: 'Gemgate could not start its server',
  notifyListenMoveFailedTitle: 'Gemgate could not move its server',
  notifyListenFailedBody: (error, fix, moved) => {
    const change =
      fix === 'port' ? 'Change the port in Settings or free it' : 'Change the listen address in Settings';
    return `${error}. ${change}, then ${moved ? 'stop and start' : 'start'} the server.`;
  },
  notifyBlockedBody: (error) => `${error}.`,
  notifyAllKeysTitle: 'No Gemini key is available',
  notifyAllKeysBody: (total) =>
    `All ${total} Gemini API key(s) are cooling down or disabled; requests fail until one recovers.`,
  notifyKeyDisabledTitle: (count) =>
    count === 1 ? 'A Gemini key was disabled' : `${count} Gemini keys were disabled`,
  notifyKeyDisabledBody: (keys) => `${keys}. See the Keys page in the Gemgate window.`,
  notifySecretsUnreadableTitle: 'Gemgate could not decrypt saved settings',
  notifySecretsUnreadableBody: (keys) =>
    `The system keychain could not decrypt the saved ${settingList(keys, 'en', (name) => `"${name}"`)}, ` +
    'so the default is in use. Enter the value again in the Gemgate window to store it afresh.',
};

const zh: ShellText = {
  statusRunning: (address) => `运行中：${address}`,
  statusStarting: '正在启动…',
  statusStopped: '服务已停止',
  statusError: (error) => `未运行：${error}`,
  copyBaseUrl: '复制 API 地址',
  copyPassword: '复制访问密码',
  openDashboard: '打开概览',
  openLogs: '查看日志',
  openGallery: '打开图库',
  startServer: '启动服务',
  stopServer: '停止服务',
  launchAtLogin: '开机自启',
  quit: '退出 Gemgate',
  tooltip: (status) => `Gemgate — ${status}`,
  listen: {
    port_in_use: (port) => `端口 ${port} 已被占用`,
    port_denied: (port) => `没有权限监听端口 ${port}`,
    address_unavailable: (host) => `此电脑上没有地址 ${host}`,
    host_unresolved: (host) => `无法解析主机名 ${host}`,
    secrets_unreadable: (keys) =>
      `无法解密已保存的${settingList(keys, 'zh', (name) => `“${name}”`)}（系统钥匙串可能已锁定或不可用），` +
      '因此服务不会监听：请解锁钥匙串后重启 Gemgate，或在设置中重新填写',
    stillServing: (error, address) => `${error}（仍在 ${address} 上提供服务）`,
  },
  notifyListenFailedTitle: 'Gemgate 无法启动服务',
  notifyListenMoveFailedTitle: 'Gemgate 无法将服务迁移到新地址',
  notifyListenFailedBody: (error, fix, moved) => {
    const change = fix === 'port' ? '更换端口或释放该端口' : '更换监听地址';
    return `${error}。请在设置中${change}，然后${moved ? '停止并重新启动' : '启动'}服务。`;
  },
  notifyBlockedBody: (error) => `${error}。`,
  notifyAllKeysTitle: '没有可用的 Gemini 密钥',
  notifyAllKeysBody: (total) => `全部 ${total} 个 Gemini API 密钥都在冷却或已禁用，恢复前请求会失败。`,
  notifyKeyDisabledTitle: (count) =>
    count === 1 ? '一个 Gemini 密钥已被禁用' : `${count} 个 Gemini 密钥已被禁用`,
  notifyKeyDisabledBody: (keys) => `${keys}。请在 Gemgate 窗口的“密钥”页查看。`,
  notifySecretsUnreadableTitle: 'Gemgate 无法解密已保存的设置',
  notifySecretsUnreadableBody: (keys) =>
    `系统钥匙串无法解密已保存的${settingList(keys, 'zh', (name) => `“${name}”`)}，目前使用的是默认值。` +
    '请在 Gemgate 窗口中重新填写，保存后即重新存储。',
};

/** `app.getLocale()` gives e.g. "zh-CN", "zh-TW", "en-US". */
export const shellTextFor = (locale: string): ShellText => (locale.toLowerCase().startsWith('zh') ? zh : en);
