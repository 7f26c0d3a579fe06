/**
 * The admin contract over HTTP for the admin-*.test.ts files: the renderer's own fetch client
 * (renderer/lib/api-http.ts, derived from ADMIN_HTTP) signed in against a real gateway, so these
 * tests prove the server and the web admin agree on the wire, plus a raw call for status codes,
 * headers and error bodies.
 */
import type { AdminApi } from '../../shared/admin-contract';
import { createHttpAdmin, login, type FetchLike } from '../../renderer/lib/api-http';

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface AdminClient {
  admin: AdminApi;
  token: string;
  raw(method: string, path: string, body?: unknown, token?: string | null): Promise<RawReply>;
}

const fetchLike: FetchLike = (url, init) => fetch(url, init);

export async function rawCall(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function signIn(baseUrl: string, password: string): Promise<AdminClient> {
  const session = await login(fetchLike, baseUrl, password);
  const admin = createHttpAdmin({
    base: baseUrl,
    fetch: fetchLike,
    token: () => session.token,
    onUnauthorized: () => undefined,
  });
  return {
    admin,
    token: session.token,
    raw: (method, path, body, token = session.token) =>
      rawCall(baseUrl, method, path, { ...(body !== undefined ? { body } : {}), token }),
  };
}

/** The OpenAI-shaped error of a failed call. */
export const errorOf = (
  reply: RawReply,
): { message: string; code: string; param: string | null; type: string } =>
  (reply.json as { error: { message: string; code: string; param: string | null; type: string } }).error;
