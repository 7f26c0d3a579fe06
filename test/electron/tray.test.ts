/**
 * The tray menu is a pure function of the server status (each item present and wired to its action),
 * and the tray shows the icon and status line of that status on every platform.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  buildTrayMenu,
  trayIconState,
  type TrayActions,
  type TrayStatus,
} from '../../main/electron/tray-menu';
import { shellTextFor } from '../../main/electron/tray-i18n';

vi.mock('electron', () => import('./fake-electron'));
const { fake } = await import('./fake-electron');
const { createTray, trayIconFile } = await import('../../main/electron/tray');

const en = shellTextFor('en-US');
const running: TrayStatus = {
  state: 'running',
  listening: { host: '127.0.0.1', port: 7860, baseUrl: 'http://127.0.0.1:7860/v1' },
  listenError: null,
  launchAtLogin: false,
};
const stopped: TrayStatus = { state: 'stopped', listening: null, listenError: null, launchAtLogin: true };
const failed: TrayStatus = {
  state: 'error',
  listening: null,
  listenError: 'port 7860 is in use',
  listenProblem: { code: 'port_in_use', port: 7860 },
  launchAtLogin: false,
};

const recorder = () => {
  const calls: unknown[][] = [];
  const rec =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args]);
  const actions: TrayActions = {
    copyBaseUrl: rec('copyBaseUrl'),
    copyPassword: rec('copyPassword'),
    openPage: rec('openPage'),
    startServer: rec('startServer'),
    stopServer: rec('stopServer'),
    setLaunchAtLogin: rec('setLaunchAtLogin'),
    quit: rec('quit'),
  };
  return { calls, actions };
};

type Item = ReturnType<typeof buildTrayMenu>[number];
const byId = (menu: Item[], id: string): Item => {
  const item = menu.find((i) => i.id === id);
  if (!item) throw new Error(`missing ${id}`);
  return item;
};
const click = (item: Item, checked = false) =>
  (item.click as unknown as (i: { checked: boolean }) => void)({ checked });

const IDS = [
  'status',
  'copy-base-url',
  'copy-password',
  'open-dashboard',
  'open-logs',
  'open-gallery',
  'toggle-server',
  'launch-at-login',
  'quit',
];

describe('buildTrayMenu', () => {
  it.each([
    ['running', running],
    ['stopped', stopped],
    ['error', failed],
  ])('has every item when %s', (_name, status) => {
    const menu = buildTrayMenu(status, en, recorder().actions);
    expect(menu.filter((i) => i.id).map((i) => i.id)).toEqual(IDS);
  });

  it('running: shows the address, copies the URL, offers Stop', () => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(running, en, actions);
    expect(byId(menu, 'status')).toMatchObject({ label: 'Running on http://127.0.0.1:7860', enabled: false });
    expect(byId(menu, 'copy-base-url').enabled).toBe(true);
    expect(byId(menu, 'toggle-server').label).toBe('Stop server');
    for (const id of [
      'copy-base-url',
      'copy-password',
      'open-dashboard',
      'open-logs',
      'open-gallery',
      'toggle-server',
      'quit',
    ]) {
      click(byId(menu, id));
    }
    click(byId(menu, 'launch-at-login'), true);
    expect(calls).toEqual([
      ['copyBaseUrl'],
      ['copyPassword'],
      ['openPage', 'dashboard'],
      ['openPage', 'logs'],
      ['openPage', 'gallery'],
      ['stopServer'],
      ['quit'],
      ['setLaunchAtLogin', true],
    ]);
  });

  it('stopped: no URL to copy, offers Start, reflects launch at login', () => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(stopped, en, actions);
    expect(byId(menu, 'status').label).toBe('Server stopped');
    expect(byId(menu, 'copy-base-url').enabled).toBe(false);
    expect(byId(menu, 'launch-at-login')).toMatchObject({ type: 'checkbox', checked: true });
    const toggle = byId(menu, 'toggle-server');
    expect(toggle.label).toBe('Start server');
    click(toggle);
    click(byId(menu, 'launch-at-login'), false);
    expect(calls).toEqual([['startServer'], ['setLaunchAtLogin', false]]);
  });

  it('error: the status line says why, Start retries', () => {
    const { calls, actions } = recorder();
    const menu = buildTrayMenu(failed, en, actions);
    expect(byId(menu, 'status').label).toBe('Not running: port 7860 is in use');
    const toggle = byId(menu, 'toggle-server');
    expect(toggle).toMatchObject({ label: 'Start server' });
    expect(toggle.enabled).not.toBe(false);
    click(toggle);
    expect(calls).toEqual([['startServer']]);
  });

  it('cannot start twice while starting', () => {
    const menu = buildTrayMenu({ ...stopped, state: 'starting' }, en, recorder().actions);
    expect(byId(menu, 'status').label).toBe('Starting…');
    expect(byId(menu, 'toggle-server').enabled).toBe(false);
  });

  it('speaks Chinese on a Chinese system, the listen problem included', () => {
    const zh = shellTextFor('zh-CN');
    const menu = buildTrayMenu(failed, zh, recorder().actions);
    expect(byId(menu, 'status').label).toBe('未运行：端口 7860 已被占用');
    expect(byId(menu, 'quit').label).toBe('退出 Gemgate');
    const moved: TrayStatus = {
      ...running,
      state: 'error',
      listenError: 'host name nas.local cannot be resolved (still serving on http://127.0.0.1:7860)',
      listenProblem: { code: 'host_unresolved', host: 'nas.local', stillServing: 'http://127.0.0.1:7860' },
    };
    expect(byId(buildTrayMenu(moved, zh, recorder().actions), 'status').label).toBe(
      '未运行：无法解析主机名 nas.local（仍在 http://127.0.0.1:7860 上提供服务）',
    );
    // A cause without a code has only the listener's English words.
    const unknown: TrayStatus = { ...stopped, state: 'error', listenError: 'listen EINVAL: weird' };
    expect(byId(buildTrayMenu(unknown, zh, recorder().actions), 'status').label).toBe(
      '未运行：listen EINVAL: weird',
    );
  });

  it('maps status to icon state, error first', () => {
    expect(trayIconState(running)).toBe('running');
    expect(trayIconState(stopped)).toBe('stopped');
    expect(trayIconState(failed)).toBe('error');
    // A failed move keeps serving on the old port, but the failure is what the icon shows.
    expect(trayIconState({ ...running, listenError: 'port 9 is in use' })).toBe('error');
  });
});

describe('createTray', () => {
  beforeEach(() => fake.reset());

  it.each([
    ['darwin', 'iconTemplate.png', 'icon-errorTemplate.png', true],
    ['win32', 'tray-running.png', 'tray-error.png', false],
    ['linux', 'tray-running-linux.png', 'tray-error-linux.png', false],
  ] as const)(
    'on %s: icon per status, tooltip and menu rebuilt',
    (platform, runningIcon, errorIcon, template) => {
      const { actions } = recorder();
      const tray = createTray({ iconDir: '/icons', platform, text: en, actions, onClick: () => undefined });
      const fakeTray = fake.trays[0]!;
      tray.update(running);
      expect(fakeTray.image.path).toBe(`/icons/${runningIcon}`);
      expect(fakeTray.image.template).toBe(template);
      expect(fakeTray.tooltip).toBe('Gemgate — Running on http://127.0.0.1:7860');
      expect(fakeTray.item('toggle-server').label).toBe('Stop server');

      tray.update(failed);
      expect(fakeTray.image.path).toBe(`/icons/${errorIcon}`);
      expect(fakeTray.item('status').label).toBe('Not running: port 7860 is in use');
      expect(fakeTray.item('toggle-server').label).toBe('Start server');
    },
  );

  it('words the tooltip in the tray language too', () => {
    const tray = createTray({
      iconDir: '/icons',
      platform: 'win32',
      text: shellTextFor('zh-CN'),
      actions: recorder().actions,
      onClick: () => undefined,
    });
    tray.update(failed);
    expect(fake.trays[0]!.tooltip).toBe('Gemgate — 未运行：端口 7860 已被占用');
  });

  it('icon files exist in build/tray for every platform and status', async () => {
    const { existsSync } = await import('node:fs');
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of ['running', 'stopped', 'error'] as const) {
        const file = trayIconFile('build/tray', platform, state);
        expect(existsSync(file), file).toBe(true);
        if (platform !== 'linux') expect(existsSync(file.replace('.png', '@2x.png')), file).toBe(true);
      }
    }
  });

  it.each([
    ['win32', 1],
    ['linux', 1], // the host's Activate (KDE Plasma's left click) arrives as 'click'
    ['darwin', 0], // the menu opens instead
  ] as const)('a left click on %s opens the window %i time(s)', (platform, times) => {
    let opened = 0;
    createTray({
      iconDir: '/i',
      platform,
      text: en,
      actions: recorder().actions,
      onClick: () => opened++,
    });
    fake.trays[0]!.emit('click');
    expect(opened).toBe(times);
  });
});
