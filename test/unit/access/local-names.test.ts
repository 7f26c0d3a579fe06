/**
 * Which host names are this computer's (access/local-names.ts): the test of both guards against
 * web pages — the web admin's DNS rebinding guard and address-based API access from other sites.
 */
import { describe, expect, it } from 'vitest';
import {
  hostNameOf,
  isLocalName,
  isLocalOrigin,
  localExtraNames,
} from '../../../main/server/access/local-names';

const none = new Set<string>();

describe('hostNameOf', () => {
  it.each([
    ['127.0.0.1:7860', '127.0.0.1'],
    ['LOCALHOST:7860', 'localhost'],
    ['[::1]:7860', '::1'],
    ['[::1]', '::1'],
    ['evil.example', 'evil.example'],
    ['evil.example.:80', 'evil.example'],
    ['host.docker.internal:7860', 'host.docker.internal'],
  ])('%s → %s', (header, name) => {
    expect(hostNameOf(header)).toBe(name);
  });

  it.each(['', 'a b', 'evil.example:port', 'user@evil.example', '[::1', 'bücher.example'])(
    'malformed %j → undefined',
    (header) => {
      expect(hostNameOf(header)).toBeUndefined();
    },
  );
});

describe('isLocalOrigin', () => {
  const names = new Set(['chat.example.com']);

  it.each([
    'http://localhost:3000',
    'http://[::1]:3000',
    'http://192.168.1.5:3080',
    'https://chat.example.com',
  ])('a web origin on a local name is local: %s', (origin) => {
    expect(isLocalOrigin(origin, names)).toBe(true);
  });

  it.each([
    'https://Evil.Example',
    'http://evil.example:7860',
    // A page served from a public IP is a site like any other.
    'http://203.0.113.9',
    'http://[2001:db8::1]:8080',
    'null',
    '',
    'not an origin',
  ])('a page on another site, a sandboxed frame (null) or nonsense is not: %j', (origin) => {
    expect(isLocalOrigin(origin, names)).toBe(false);
  });

  it.each(['app://cherry-studio', 'tauri://localhost', 'chrome-extension://abcdef', 'file://'])(
    'an installed app or extension (a scheme no web page can send) is local: %s',
    (origin) => {
      expect(isLocalOrigin(origin, names)).toBe(true);
    },
  );
});

describe('isLocalName', () => {
  it.each([
    '127.0.0.1',
    '192.168.1.20',
    '203.0.113.7',
    '::1',
    'localhost',
    'app.localhost',
    'printer.local',
    'host.docker.internal',
    'nas.home.arpa',
    'my-pc.lan',
    'nas.home',
    'box.localdomain',
    'gemgate',
  ])('%s is local', (name) => {
    expect(isLocalName(name, none)).toBe(true);
  });

  it.each(['evil.example', 'localhost.evil.example', 'local.evil.example', 'internal.evil.example'])(
    '%s is not: a public name, whatever it contains',
    (name) => {
      expect(isLocalName(name, none)).toBe(false);
    },
  );

  it('takes the extra names given', () => {
    expect(isLocalName('gw.example.com', new Set(['gw.example.com']))).toBe(true);
    expect(isLocalName('other.example.com', new Set(['gw.example.com']))).toBe(false);
  });
});

describe('localExtraNames', () => {
  it("are the machine's name and HOST_URL's host, lower case", () => {
    expect([...localExtraNames('Work-PC.corp.example.', 'https://GW.Example.com:8443/base')]).toEqual([
      'work-pc.corp.example',
      'gw.example.com',
    ]);
  });

  it('skip what is empty', () => {
    expect([...localExtraNames('', '')]).toEqual([]);
  });
});
