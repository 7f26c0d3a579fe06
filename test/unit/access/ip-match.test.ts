/**
 * ip-match: parsing and normalising addresses, IP/CIDR lists (IPv4, IPv6, IPv4-mapped IPv6 on both
 * sides), prefix edges, invalid entries (reported, never matching), and the internal ranges that
 * TRUST_PROXY=true trusts.
 */
import { describe, expect, it } from 'vitest';
import {
  compileIpList,
  isInternalAddress,
  normalizeIp,
  parseAddress,
} from '../../../main/server/access/ip-match';

describe('normalizeIp / parseAddress', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4 ', '1.2.3.4'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::1', '::1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:102:304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:7f00:1', '127.0.0.1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
    expect(parseAddress(input)).toBeDefined();
  });

  it('leaves what is not an IP as it is (trimmed), so it can never match a list entry', () => {
    expect(normalizeIp(' unknown ')).toBe('unknown');
    expect(normalizeIp('')).toBe('');
    expect(parseAddress('unknown')).toBeUndefined();
  });

  it.each([
    // inet_aton shorthands that ipaddr.js would otherwise accept — and misread.
    ['127.1'],
    ['10'],
    ['2130706433'],
    ['0x7f.0.0.1'],
    // Zero-padded octets are octal there: 192.168.001.010 would be 192.168.1.8.
    ['192.168.001.010'],
    ['010.0.0.1'],
    ['1.2.3.256'],
    ['1.2.3.4:80'],
    ['1.2.3'],
    ['::g'],
    ['1::2::3'],
  ])('%s is not an address', (input) => {
    expect(parseAddress(input)).toBeUndefined();
    expect(normalizeIp(input)).toBe(input);
  });
});

describe('compileIpList', () => {
  it('an empty list matches nothing', () => {
    const list = compileIpList([]);
    expect(list.size).toBe(0);
    expect(list.matches('1.2.3.4')).toBe(false);
  });

  it('single IPv4 addresses match exactly', () => {
    const list = compileIpList(['203.0.113.7']);
    expect(list.matches('203.0.113.7')).toBe(true);
    expect(list.matches('203.0.113.8')).toBe(false);
    expect(list.matches('::ffff:203.0.113.7')).toBe(true);
  });

  it('IPv4 CIDR edges: /0, /1, /8, /24, /31, /32 and host bits in the base', () => {
    expect(compileIpList(['0.0.0.0/0']).matches('255.255.255.255')).toBe(true);
    const half = compileIpList(['128.0.0.0/1']);
    expect(half.matches('128.0.0.0')).toBe(true);
    expect(half.matches('127.255.255.255')).toBe(false);
    const ten = compileIpList(['10.1.2.3/8']);
    expect(ten.matches('10.255.255.255')).toBe(true);
    expect(ten.matches('11.0.0.0')).toBe(false);
    const c = compileIpList(['192.168.1.0/24']);
    expect(c.matches('192.168.1.0')).toBe(true);
    expect(c.matches('192.168.1.255')).toBe(true);
    expect(c.matches('192.168.2.0')).toBe(false);
    const pair = compileIpList(['198.51.100.6/31']);
    expect(pair.matches('198.51.100.6')).toBe(true);
    expect(pair.matches('198.51.100.7')).toBe(true);
    expect(pair.matches('198.51.100.8')).toBe(false);
    expect(compileIpList(['1.2.3.4/32']).matches('1.2.3.5')).toBe(false);
  });

  it('IPv6 single addresses and CIDRs: /0, /32, /48, /64, /128', () => {
    expect(compileIpList(['2001:db8::1']).matches('2001:0db8:0000::1')).toBe(true);
    expect(compileIpList(['::/0']).matches('2001:db8::1')).toBe(true);
    const doc = compileIpList(['2001:db8::/32']);
    expect(doc.matches('2001:db8:ffff::1')).toBe(true);
    expect(doc.matches('2001:db9::1')).toBe(false);
    const site = compileIpList(['2001:db8:abcd::/48']);
    expect(site.matches('2001:db8:abcd:ffff::1')).toBe(true);
    expect(site.matches('2001:db8:abce::1')).toBe(false);
    const lan = compileIpList(['fe80::/64']);
    expect(lan.matches('fe80::1:2:3:4')).toBe(true);
    expect(lan.matches('fe80:0:0:1::1')).toBe(false);
    expect(compileIpList(['::1/128']).matches('::2')).toBe(false);
  });

  it('families never cross: IPv6 ranges do not hold IPv4 clients, nor the reverse', () => {
    expect(compileIpList(['::/0']).matches('1.2.3.4')).toBe(false);
    expect(compileIpList(['::/0']).matches('::ffff:1.2.3.4')).toBe(false);
    expect(compileIpList(['0.0.0.0/0']).matches('::1')).toBe(false);
    expect(compileIpList(['0.0.0.0/0']).matches('2001:db8::1')).toBe(false);
  });

  it('IPv4-mapped IPv6 entries are the IPv4 range they carry (prefix shifted by 96)', () => {
    const mapped = compileIpList(['::ffff:10.0.0.0/104', '::ffff:198.51.100.7', '::ffff:c000:200/120']);
    expect(mapped.invalid).toEqual([]);
    expect(mapped.matches('10.200.0.1')).toBe(true);
    expect(mapped.matches('11.0.0.1')).toBe(false);
    expect(mapped.matches('198.51.100.7')).toBe(true);
    expect(mapped.matches('::ffff:198.51.100.7')).toBe(true);
    expect(mapped.matches('192.0.2.77')).toBe(true);
    expect(mapped.matches('192.0.3.1')).toBe(false);
    // ::ffff:0:0/96 is every IPv4 address.
    expect(compileIpList(['::ffff:0:0/96']).matches('8.8.8.8')).toBe(true);
  });

  it('invalid entries are reported, ignored, and never match', () => {
    const entries = [
      '',
      'localhost',
      'a.b.c.d',
      '1.2.3.4/33',
      '1.2.3.4/-1',
      '1.2.3.4/8/8',
      '1.2.3.4/',
      '/8',
      '1.2.3.4/x',
      '1.2.3.4/0008',
      '::1/129',
      '::ffff:10.0.0.0/95',
      '::ffff:10.0.0.0/129',
      '192.168.001.010',
      '10/8',
      '127.1',
    ];
    const list = compileIpList([...entries, '192.0.2.1']);
    expect(list.invalid).toEqual(entries);
    expect(list.size).toBe(1);
    for (const ip of ['0.0.0.0', '10.0.0.1', '127.0.0.1', '192.168.1.8', '192.168.1.10', '1.2.3.4', '::1']) {
      expect(list.matches(ip), ip).toBe(false);
    }
    expect(list.matches('192.0.2.1')).toBe(true);
  });

  it('a client address that is not an IP matches nothing, even 0.0.0.0/0', () => {
    const all = compileIpList(['0.0.0.0/0', '::/0']);
    for (const ip of ['', 'unknown', '127.1', '1.2.3.4:80', '2130706433'])
      expect(all.matches(ip), ip).toBe(false);
  });
});

describe('isInternalAddress (TRUST_PROXY=true)', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '::1',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.0.1',
    '169.254.1.1',
    '100.64.0.1',
    '100.127.255.255',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:10.1.2.3',
  ])('%s is internal', (ip) => expect(isInternalAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.0.2.1', '2001:4860::8888', '::', 'unknown', '127.1'])(
    '%s is not internal',
    (ip) => expect(isInternalAddress(ip)).toBe(false),
  );
});
