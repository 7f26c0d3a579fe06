/**
 * The words of the tray menu and of desktop notifications, in the two languages the UI has (zh, en),
 * chosen from the OS locale. The window's own texts live in renderer/i18n.
 */
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
  notifyListenFailedTitle: string;
  notifyListenFailedBody: (error: string) => string;
  notifyAllKeysTitle: string;
  notifyAllKeysBody: (total: number) => string;
  notifyKeyDisabledTitle: (count: number) => string;
  notifyKeyDisabledBody: (keys: string) => string;
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
  notifyListenFailedTitle: 'Gemgate could not start its server',
  notifyListenFailedBody: (error) =>
    `${error}. Change the port in Settings or free it, then start the server.`,
  notifyAllKeysTitle: 'No Gemini key is available',
  notifyAllKeysBody: (total) =>
    `All ${total} Gemini API key(s) are cooling down or disabled; requests fail until one recovers.`,
  notifyKeyDisabledTitle: (count) =>
    count === 1 ? 'A Gemini key was disabled' : `${count} Gemini keys were disabled`,
  notifyKeyDisabledBody: (keys) => `${keys}. See Keys in the dashboard.`,
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
  notifyListenFailedTitle: 'Gemgate 无法启动服务',
  notifyListenFailedBody: (error) => `${error}。请在设置中更换端口或释放该端口，然后启动服务。`,
  notifyAllKeysTitle: '没有可用的 Gemini 密钥',
  notifyAllKeysBody: (total) => `全部 ${total} 个 Gemini API 密钥都在冷却或已禁用，恢复前请求会失败。`,
  notifyKeyDisabledTitle: (count) =>
    count === 1 ? '一个 Gemini 密钥已被禁用' : `${count} 个 Gemini 密钥已被禁用`,
  notifyKeyDisabledBody: (keys) => `${keys}。请在 Gemgate 窗口的“密钥”页查看。`,
};

/** `app.getLocale()` gives e.g. "zh-CN", "zh-TW", "en-US". */
export const shellTextFor = (locale: string): ShellText => (locale.toLowerCase().startsWith('zh') ? zh : en);
