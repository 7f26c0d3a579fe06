/**
 * Electron's resolveProxy answers (Chromium's PAC-style lists) read as the one route the upstream
 * clients can take: an HTTP(S) proxy tunnelled with CONNECT, or direct — with the reason when a
 * SOCKS proxy (or anything unreadable) could not be followed.
 */
import { describe, expect, it } from 'vitest';
import { parsePacProxy } from '../../main/electron/system-proxy-pac';

describe('parsePacProxy', () => {
  it('PROXY is an HTTP proxy, HTTPS one reached over TLS', () => {
    expect(parsePacProxy('PROXY 127.0.0.1:7890')).toEqual({
      proxy: 'http://127.0.0.1:7890',
      unsupported: undefined,
    });
    expect(parsePacProxy('HTTPS proxy.corp.example:443')).toEqual({
      proxy: 'https://proxy.corp.example:443',
      unsupported: undefined,
    });
  });

  it('takes the first usable entry of a list, as Chromium tries them in order', () => {
    expect(parsePacProxy('PROXY 127.0.0.1:7890; DIRECT').proxy).toBe('http://127.0.0.1:7890');
    expect(parsePacProxy('PROXY a.example:8080;PROXY b.example:8080').proxy).toBe('http://a.example:8080');
    expect(parsePacProxy('DIRECT; PROXY 127.0.0.1:7890')).toEqual({ proxy: '', unsupported: undefined });
  });

  it('DIRECT, and a list with no entries, connect directly', () => {
    expect(parsePacProxy('DIRECT')).toEqual({ proxy: '', unsupported: undefined });
    // Electron's failed lookup: system-proxy.ts keeps the route and never passes it here.
    expect(parsePacProxy('')).toEqual({ proxy: '', unsupported: undefined });
    expect(parsePacProxy('  ;  ')).toEqual({ proxy: '', unsupported: undefined });
  });

  it('passes over SOCKS (the gateway tunnels through HTTP proxies only) and says so when that leaves direct', () => {
    expect(parsePacProxy('SOCKS5 127.0.0.1:7891')).toEqual({
      proxy: '',
      unsupported: 'SOCKS5 127.0.0.1:7891',
    });
    expect(parsePacProxy('SOCKS 127.0.0.1:1080; DIRECT')).toEqual({
      proxy: '',
      unsupported: 'SOCKS 127.0.0.1:1080',
    });
    // A later HTTP proxy is what Chromium falls back to: that one is followed.
    expect(parsePacProxy('SOCKS5 127.0.0.1:7891; PROXY 127.0.0.1:7890')).toEqual({
      proxy: 'http://127.0.0.1:7890',
      unsupported: undefined,
    });
  });

  it('reads keywords in any case, IPv6 addresses, and an address without a port', () => {
    expect(parsePacProxy('proxy 127.0.0.1:7890').proxy).toBe('http://127.0.0.1:7890');
    expect(parsePacProxy('PROXY [::1]:7890').proxy).toBe('http://[::1]:7890');
    expect(parsePacProxy('HTTPS proxy.example').proxy).toBe('https://proxy.example');
  });

  it('treats anything unreadable as not followable rather than guessing', () => {
    for (const answer of [
      'QUIC proxy.example:443',
      'PROXY',
      'PROXY 127.0.0.1:0',
      'PROXY 127.0.0.1:70000',
      'PROXY user:secret@127.0.0.1:7890',
      'PROXY http://127.0.0.1:7890',
      'PROXY a b',
      'DIRECT now',
      'garbage',
    ]) {
      expect(parsePacProxy(answer), answer).toEqual({ proxy: '', unsupported: answer });
    }
  });
});
