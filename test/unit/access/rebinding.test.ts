/** Where a rebinding browser's connection comes from (access/rebinding.ts fromLocalNetwork). */
import { describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { fromLocalNetwork } from '../../../main/server/access/rebinding';

const socket = (remoteAddress: string, localAddress: string) =>
  ({ remoteAddress, localAddress }) as FastifyRequest['socket'];

describe('fromLocalNetwork', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1', 'loopback, IPv4-mapped'],
    ['172.17.0.1', '172.17.0.2', "Docker's bridge (a published port)"],
    ['192.168.65.1', '192.168.65.3', 'Docker Desktop'],
    ['192.168.1.23', '192.168.1.10', 'a LAN device'],
    ['fd00::5', 'fd00::1', 'a ULA neighbour'],
    ['198.51.100.7', '198.51.100.7', "this computer's own public address"],
    ['2001:db8:1:2::99', '2001:db8:1:2::1', 'an IPv6 neighbour in the same /64'],
  ])('%s → %s: yes (%s)', (remote, local) => {
    expect(fromLocalNetwork(socket(remote, local))).toBe(true);
  });

  it.each([
    ['203.0.113.50', '198.51.100.7', 'a public client'],
    ['2001:db8:9::1', '2001:db8:1:2::1', 'an IPv6 client in another /64'],
  ])('%s → %s: no (%s)', (remote, local) => {
    expect(fromLocalNetwork(socket(remote, local))).toBe(false);
  });
});
