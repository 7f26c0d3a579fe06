/** Choosing the transport, IPC error mapping, and the web admin's sign-in / sign-out. */
import { describe, expect, it, vi } from 'vitest';
import type { AdminApi } from '../../shared/admin-contract';
import type { DesktopApi } from '../../shared/admin-transport';
import { AdminError } from '../../renderer/lib/admin-error';
import { createTransport, type BrowserEnv } from '../../renderer/lib/api';
import type { FetchLike } from '../../renderer/lib/api-http';
import { createIpcAdmin, ipcError, type GemgateBridge } from '../../renderer/lib/api-ipc';

const json = (status: number, body: unknown) => ({
  ok: status < 300,
  status,
  statusText: '',
  text: async () => (body === undefined ? '' : JSON.stringify(body)),
});

function browser(fetch: FetchLike, bridge?: GemgateBridge): BrowserEnv {
  const data = new Map<string, string>();
  return {
    bridge,
    fetch,
    storage: {
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    },
    pathname: '/admin/',
    openEventSource: () => ({ close: () => undefined }),
    setTimeout: () => 0,
    clearTimeout: () => undefined,
  };
}

describe('ipcError', () => {
  it("strips Electron's prefix from a plain message", () => {
    const err = ipcError(new Error("Error invoking remote method 'gemgate:admin:getStatus': Error: boom"));
    expect(err).toMatchObject({ status: 500, code: 'ipc_error', message: 'boom' });
  });

  it('keeps status and code serialised by the main process', () => {
    const body = JSON.stringify({ error: { message: 'Invalid port', code: 'invalid_request', status: 400 } });
    const err = ipcError(
      new Error(`Error invoking remote method 'gemgate:admin:updateSettings': Error: ${body}`),
    );
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', message: 'Invalid port' });
    expect(ipcError(Object.assign(new Error('gone'), { status: 404, code: 'not_found' }))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });
});

describe('createTransport', () => {
  it('uses IPC when the preload exposed window.gemgate', async () => {
    const getStatus = vi.fn(async () => ({ version: '1' }));
    const setKeyEnabled = vi.fn(async () => {
      throw new Error("Error invoking remote method 'gemgate:admin:setKeyEnabled': Error: no such key");
    });
    const onLog = vi.fn(() => () => undefined);
    const bridge = {
      admin: { getStatus, setKeyEnabled } as unknown as AdminApi,
      desktop: { openImageFolder: vi.fn(async () => undefined) } as unknown as DesktopApi,
      onLog,
      mode: 'tray' as const,
    };
    const fetch = vi.fn<FetchLike>();
    const transport = createTransport(browser(fetch, bridge));
    expect(transport).toMatchObject({ kind: 'ipc', auth: null });
    await expect(transport.admin.getStatus()).resolves.toEqual({ version: '1' });
    await expect(transport.admin.setKeyEnabled('k1', false)).rejects.toBeInstanceOf(AdminError);
    expect(setKeyEnabled).toHaveBeenCalledWith('k1', false);
    await transport.desktop?.openImageFolder();
    transport.subscribeLogs(() => undefined);
    expect(onLog).toHaveBeenCalledOnce();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('forwards every argument over IPC unchanged', async () => {
    const listImages = vi.fn(async () => ({ total: 0, entries: [] }));
    const admin = createIpcAdmin({ admin: { listImages } } as unknown as GemgateBridge);
    await admin.listImages({ offset: 10, limit: 5 });
    expect(listImages).toHaveBeenCalledWith({ offset: 10, limit: 5 });
  });

  it('signs in over HTTP, sends the token, and signs out on a 401', async () => {
    const answers = [
      json(200, { token: 'tok', expiresAt: Date.now() + 60_000 }),
      json(200, { version: '1' }),
      json(401, { error: { code: 'admin_unauthorized', message: 'expired' } }),
    ];
    const fetch = vi.fn<FetchLike>(async () => answers.shift()!);
    const transport = createTransport(browser(fetch));
    const auth = transport.auth!;
    const signedOut = vi.fn();
    auth.onSignedOut(signedOut);

    expect(transport.kind).toBe('http');
    expect(auth.signedIn()).toBe(false);
    await auth.login('pw');
    expect(auth.signedIn()).toBe(true);
    await transport.admin.getStatus();
    expect(fetch.mock.calls[1]?.[1].headers.authorization).toBe('Bearer tok');
    await expect(transport.admin.listKeys()).rejects.toMatchObject({ status: 401 });
    expect(signedOut).toHaveBeenCalledWith('expired');
    expect(auth.signedIn()).toBe(false);
  });
});
