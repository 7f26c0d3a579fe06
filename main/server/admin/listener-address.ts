/**
 * Facts about a listening address: whether only this computer can reach it (the default-password
 * warning), and the OpenAI base URL a local client uses (a wildcard bind is reached over loopback).
 */
import type { AddressInfo } from 'node:net';
import type { GatewayStatus } from '../../../shared/admin-dto';

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' ||
  host === '::1' ||
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
  /^::ffff:127\./i.test(host);

export function localBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const literal = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${literal}:${port}/v1`;
}

/** What GatewayStatus says about a bound socket (null when it is not listening). */
export function listeningOf(address: AddressInfo | string | null): GatewayStatus['listening'] {
  if (address === null || typeof address === 'string') return null;
  return { host: address.address, port: address.port, baseUrl: localBaseUrl(address.address, address.port) };
}
