/**
 * client-ip: every TRUST_PROXY form (off, true, a hop count, a CIDR list) and the walk from the right
 * through X-Forwarded-For (then CF-Connecting-IP / X-Real-IP) past trusted hops only.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseTrustProxy, resolveClientIp } from '../../../main/server/access/client-ip';

const resolve = (setting: string, peer: string | undefined, headers: IncomingHttpHeaders = {}) =>
  resolveClientIp(peer, headers, parseTrustProxy(setting));

const xff = (value: string | string[]): IncomingHttpHeaders => ({ 'x-forwarded-for': value });

describe('parseTrustProxy', () => {
  it.each(['', '  ', 'false', 'FALSE', ' off ', 'no', '0'])('%j turns trust off', (value) => {
    expect(parseTrustProxy(value)).toBeUndefined();
  });

  it.each(['true', 'TRUE', 'on', 'yes'])('%j trusts internal addresses only', (value) => {
    const trust = parseTrustProxy(value)!;
    expect(trust('10.0.0.1', 0)).toBe(true);
    expect(trust('::1', 5)).toBe(true);
    expect(trust('8.8.8.8', 0)).toBe(false);
  });

  it('a number trusts that many hops, whatever their address', () => {
    const trust = parseTrustProxy('2')!;
    expect(trust('8.8.8.8', 0)).toBe(true);
    expect(trust('8.8.8.8', 1)).toBe(true);
    expect(trust('10.0.0.1', 2)).toBe(false);
  });

  it('a list trusts addresses in its ranges; invalid entries trust nothing', () => {
    const trust = parseTrustProxy('10.0.0.0/8, 2001:db8::1  192.0.2.1,garbage')!;
    expect(trust('10.9.9.9', 0)).toBe(true);
    expect(trust('2001:db8::1', 3)).toBe(true);
    expect(trust('192.0.2.1', 0)).toBe(true);
    expect(trust('192.0.2.2', 0)).toBe(false);
    expect(trust('garbage', 0)).toBe(false);
  });
});

describe('TRUST_PROXY off (default): the socket peer, headers ignored', () => {
  it('ignores every forwarding header', () => {
    const headers = { ...xff('203.0.113.7'), 'x-real-ip': '203.0.113.8', 'cf-connecting-ip': '203.0.113.9' };
    expect(resolve('false', '127.0.0.1', headers)).toBe('127.0.0.1');
  });

  it('normalises the peer (IPv4-mapped from a dual-stack socket, IPv6 case) and copes without one', () => {
    expect(resolve('false', '::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(resolve('false', '2001:DB8::1')).toBe('2001:db8::1');
    expect(resolve('false', undefined)).toBe('');
  });
});

describe('TRUST_PROXY=true: past internal hops', () => {
  it('takes the right-most address the trusted proxy added', () => {
    expect(resolve('true', '127.0.0.1', xff('203.0.113.7'))).toBe('203.0.113.7');
  });

  it('a spoofed left-most entry is never reached', () => {
    expect(resolve('true', '10.0.0.2', xff('1.1.1.1, 203.0.113.7'))).toBe('203.0.113.7');
    // Even a spoofed "internal" address: the walk stops at the first public hop.
    expect(resolve('true', '10.0.0.2', xff('10.9.9.9, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it('walks past several internal hops (proxy chains inside a platform)', () => {
    expect(resolve('true', '172.16.0.1', xff('203.0.113.7, 10.0.0.3, 192.168.1.1'))).toBe('203.0.113.7');
  });

  it('an untrusted (public) peer is the client, whatever it claims', () => {
    expect(resolve('true', '198.51.100.1', xff('203.0.113.7'))).toBe('198.51.100.1');
  });

  it('when every hop is internal, the left-most one is the client', () => {
    expect(resolve('true', '127.0.0.1', xff('10.0.0.5, 10.0.0.6'))).toBe('10.0.0.5');
  });

  it('joins repeated headers in order and skips empty entries', () => {
    expect(resolve('true', '127.0.0.1', xff(['1.1.1.1', '203.0.113.7']))).toBe('203.0.113.7');
    expect(resolve('true', '127.0.0.1', xff(' 1.1.1.1 ,, 203.0.113.7 , '))).toBe('203.0.113.7');
  });

  it('normalises IPv4-mapped and IPv6 entries', () => {
    expect(resolve('true', '127.0.0.1', xff('::ffff:203.0.113.7'))).toBe('203.0.113.7');
    expect(resolve('true', '::1', xff('2001:DB8::7'))).toBe('2001:db8::7');
  });

  it('a hop that is not an IP is not trusted: it becomes the (unmatchable) client', () => {
    expect(resolve('true', '127.0.0.1', xff('203.0.113.7, unknown'))).toBe('unknown');
    // inet_aton shorthand for 127.0.0.1 is not taken for loopback.
    expect(resolve('true', '127.0.0.1', xff('203.0.113.7, 127.1'))).toBe('127.1');
  });

  it('uses CF-Connecting-IP, then X-Real-IP, only when there is no X-Forwarded-For', () => {
    expect(
      resolve('true', '127.0.0.1', { 'cf-connecting-ip': '203.0.113.1', 'x-real-ip': '203.0.113.2' }),
    ).toBe('203.0.113.1');
    expect(resolve('true', '127.0.0.1', { 'x-real-ip': ' 203.0.113.2 ' })).toBe('203.0.113.2');
    expect(resolve('true', '127.0.0.1', { ...xff('203.0.113.3'), 'x-real-ip': '203.0.113.2' })).toBe(
      '203.0.113.3',
    );
    expect(resolve('true', '127.0.0.1', { 'x-real-ip': '  ' })).toBe('127.0.0.1');
  });

  it('without forwarding headers the trusted peer itself is the client', () => {
    expect(resolve('true', '10.0.0.2')).toBe('10.0.0.2');
  });
});

describe('TRUST_PROXY=N: exactly N hops, the socket peer first', () => {
  const chain = xff('1.1.1.1, 203.0.113.7, 198.51.100.1');

  it.each([
    ['1', '198.51.100.1'],
    ['2', '203.0.113.7'],
    ['3', '1.1.1.1'],
    // More hops than the chain has: the left-most entry.
    ['9', '1.1.1.1'],
  ])('%s → %s', (setting, expected) => {
    expect(resolve(setting, '8.8.8.8', chain)).toBe(expected);
  });
});

describe('TRUST_PROXY as a list of proxies', () => {
  it('trusts hops in the listed ranges, stops at the first other one', () => {
    const chain = xff('1.1.1.1, 203.0.113.7, 198.51.100.1');
    expect(resolve('127.0.0.1, 198.51.100.0/24', '127.0.0.1', chain)).toBe('203.0.113.7');
    expect(resolve('127.0.0.1', '127.0.0.1', chain)).toBe('198.51.100.1');
    // A peer outside the list: headers are not believed.
    expect(resolve('10.0.0.0/8', '127.0.0.1', chain)).toBe('127.0.0.1');
  });

  it('matches IPv4 peers reported as IPv4-mapped IPv6', () => {
    expect(resolve('127.0.0.1', '::ffff:127.0.0.1', xff('203.0.113.7'))).toBe('203.0.113.7');
  });
});
