/**
 * The origin absolute image links are built on: HOST_URL when set, otherwise the request's own
 * origin. X-Forwarded-Proto/Host are believed only when the socket peer is a trusted proxy
 * (TRUST_PROXY), exactly like X-Forwarded-For: otherwise anyone could make our replies link to
 * their host.
 */
import type { FastifyRequest } from 'fastify';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

export function publicOrigin(request: FastifyRequest, hostUrl: string): string {
  if (hostUrl) return hostUrl.replace(/\/+$/, '');
  const trusted = request.gemgate?.proxyTrusted === true;
  const forwardedProto = trusted ? first(request.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const proto =
    forwardedProto === 'https' || forwardedProto === 'http'
      ? forwardedProto
      : 'encrypted' in request.socket && request.socket.encrypted
        ? 'https'
        : 'http';
  const forwardedHost = trusted ? first(request.headers['x-forwarded-host']) : undefined;
  const candidates = [forwardedHost, request.headers.host];
  const host = candidates.find((h): h is string => h !== undefined && HOST.test(h));
  return `${proto}://${host ?? `127.0.0.1:${request.socket.localPort ?? 80}`}`;
}

/** Makes a gateway-relative image path (`/images/…`) absolute; absolute URLs pass unchanged. */
export const absoluteImageUrl = (url: string, origin: string): string =>
  url.startsWith('/') ? `${origin}${url}` : url;
