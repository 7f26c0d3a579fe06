/** The access-key dialog's drafts, the session store, and the client addresses on the dashboard. */
import { describe, expect, it } from 'vitest';
import type { AccessKeyDto } from '../../shared/admin-contract';
import {
  dateInputOf,
  draftOf,
  emptyDraft,
  expiryOf,
  inputOf,
  patchOf,
} from '../../renderer/lib/access-key-form';
import { clientEndpoints, imageSrc, listenerOrigin, openaiSnippet } from '../../renderer/lib/endpoints';
import { createSessionStore, SESSION_STORAGE_KEY } from '../../renderer/lib/session';
import { messageText } from '../../renderer/lib/validation';
import { translate } from '../../renderer/i18n/index';

const key: AccessKeyDto = {
  id: 'ak1',
  name: 'alice',
  preview: 'sk-…abcd',
  enabled: true,
  limit: 100,
  dailyReset: true,
  perMinute: null,
  expiresAt: null,
  createdAt: 0,
  lastUsedAt: null,
  used: 3,
  status: 'active',
};

describe('access key drafts', () => {
  it('turns a draft into the contract input: empty means none / never', () => {
    const result = inputOf({ ...emptyDraft(), name: ' bob ', limit: '50' });
    expect(result).toEqual({
      ok: true,
      value: { name: 'bob', enabled: true, limit: 50, dailyReset: false, perMinute: null, expiresAt: null },
    });
  });

  it('reports schema errors against the dialog fields', () => {
    const result = inputOf({ ...emptyDraft(), name: '', perMinute: '0', expires: 'soon' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['expires', 'name', 'perMinute']);
  });

  it("words its errors in the window's language, not the contract's English", () => {
    const result = inputOf({ ...emptyDraft(), name: ' ', limit: '0' });
    if (result.ok) throw new Error('expected errors');
    const zh = (key: keyof typeof result.errors) =>
      messageText(result.errors[key]!, (k, p) => translate('zh', k, p));
    expect(zh('name')).toBe('不能为空。');
    expect(zh('limit')).toBe('不能小于 1。');
  });

  it('keeps a key valid through the whole expiry day (local time)', () => {
    const end = expiryOf('2030-05-17');
    expect(end).not.toBeNull();
    const d = new Date(end!);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2030, 4, 17, 23, 59,
    ]);
    expect(dateInputOf(end)).toBe('2030-05-17');
    expect(expiryOf('')).toBeNull();
  });

  it('patches only what the dialog changed', () => {
    expect(patchOf(key, draftOf(key))).toEqual({ ok: true, value: {} });
    expect(patchOf(key, { ...draftOf(key), limit: '', enabled: false, resetUsage: true })).toEqual({
      ok: true,
      value: { limit: null, enabled: false, resetUsage: true },
    });
  });
});

describe('session store', () => {
  const memory = () => {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
  };

  it('returns the token until it expires, then forgets it', () => {
    const storage = memory();
    let now = 1000;
    const store = createSessionStore(storage, () => now);
    store.save({ token: 't', expiresAt: 2000 });
    expect(store.token()).toBe('t');
    now = 2000;
    expect(store.token()).toBeNull();
    expect(storage.data.has(SESSION_STORAGE_KEY)).toBe(false);
  });

  it('treats a corrupt entry as no session', () => {
    const storage = memory();
    storage.setItem(SESSION_STORAGE_KEY, '{nope');
    expect(createSessionStore(storage).token()).toBeNull();
  });
});

describe('client endpoints', () => {
  const desktop = (baseUrl: string) => clientEndpoints({ baseUrl, publicUrl: null, pageOrigin: null });

  it('derives the origin and the /v1 base URL', () => {
    expect(desktop('http://127.0.0.1:7860/v1')).toEqual({
      origin: 'http://127.0.0.1:7860',
      v1: 'http://127.0.0.1:7860/v1',
    });
    expect(desktop('http://127.0.0.1:7860/').v1).toBe('http://127.0.0.1:7860/v1');
  });

  it('the desktop window: a wildcard listen address is reached over loopback', () => {
    expect(desktop('http://[::]:7860').origin).toBe('http://127.0.0.1:7860');
    expect(listenerOrigin('http://0.0.0.0:7860/v1')).toBe('http://127.0.0.1:7860');
  });

  it('the web admin: the address the browser used, not the loopback address the container reports', () => {
    // What a Docker / Spaces gateway on 0.0.0.0 reports (listener-address.ts turns it into loopback).
    const sources = { baseUrl: 'http://127.0.0.1:7860/v1', publicUrl: null };
    expect(clientEndpoints({ ...sources, pageOrigin: 'https://me-space.hf.space' })).toEqual({
      origin: 'https://me-space.hf.space',
      v1: 'https://me-space.hf.space/v1',
    });
    expect(clientEndpoints({ ...sources, pageOrigin: 'https://proxy.example.com/gemgate' }).v1).toBe(
      'https://proxy.example.com/gemgate/v1',
    );
  });

  it('HOST_URL wins wherever the window runs', () => {
    const publicUrl = 'https://gemgate.example.com/';
    expect(
      clientEndpoints({ baseUrl: 'http://127.0.0.1:7860/v1', publicUrl, pageOrigin: 'http://10.0.0.5:7860' }),
    ).toEqual({ origin: 'https://gemgate.example.com', v1: 'https://gemgate.example.com/v1' });
    expect(clientEndpoints({ baseUrl: 'http://127.0.0.1:7860/v1', publicUrl, pageOrigin: null }).v1).toBe(
      'https://gemgate.example.com/v1',
    );
  });

  it('fills the snippet in', () => {
    expect(openaiSnippet('http://h/v1', 'pw')).toContain(
      "new OpenAI({ baseURL: 'http://h/v1', apiKey: 'pw' })",
    );
  });

  it('resolves relative image URLs against the gateway when the page is a file', () => {
    expect(imageSrc('/images/a.png', 'http://127.0.0.1:7860', 'file:///app/index.html')).toBe(
      'http://127.0.0.1:7860/images/a.png',
    );
    expect(imageSrc('/images/a.png', null, 'https://me.hf.space/admin/')).toBe(
      'https://me.hf.space/images/a.png',
    );
    expect(imageSrc('https://cdn.example.com/x.png', 'http://127.0.0.1:7860', 'file:///i.html')).toBe(
      'https://cdn.example.com/x.png',
    );
  });
});
