/**
 * The admin contract over HTTP (headless web admin), derived from ADMIN_HTTP: GET routes carry their
 * arguments as query parameters, `:id` routes take the id from the first argument, everything else
 * travels as a JSON body. Errors come back as `{"error":{message,code,…}}` and become AdminError.
 * DOM-free on purpose (fetch is injected) so the request building is unit-tested under Node.
 */
import type { AdminApi, AdminSession } from '../../shared/admin-contract';
import {
  ADMIN_HTTP,
  ADMIN_LOGIN_PATH,
  ADMIN_LOGOUT_PATH,
  type AdminMethod,
  type HttpRoute,
} from '../../shared/admin-transport';
import { AdminError, errorMessage, isUnauthorized } from './admin-error';
import { implementAdmin } from './admin-methods';

/**
 * Body field names of positional arguments. ADMIN_HTTP states them only in comments (`body: { ids }`),
 * so they are spelled out here; methods not listed send their single object argument as the body.
 */
export const BODY_FIELDS: Partial<Record<AdminMethod, readonly string[]>> = {
  resetSettings: ['keys'],
  revealSecret: ['key'],
  addKeys: ['text'],
  removeKeys: ['ids'],
  checkKeys: ['ids'],
  setKeyEnabled: ['enabled'],
  deleteImages: ['ids'],
};

/** Results wrapped in an object on the wire (`revealSecret` → `{ value }`). */
export const RESULT_FIELDS: Partial<Record<AdminMethod, string>> = { revealSecret: 'value' };

export interface HttpRequest {
  method: HttpRoute['method'];
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  text: () => Promise<string>;
}

/** The subset of `fetch` the client uses; the window passes `(url, init) => fetch(url, init)`. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<HttpResponseLike>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const queryValue = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);

function queryOf(names: readonly string[], args: readonly unknown[]): string {
  // A single object argument carries the names as properties (listImages({ offset, limit }));
  // otherwise the arguments are positional (getUsage(range), getLogs(afterId)).
  const [first] = args;
  const source: Record<string, unknown> =
    args.length === 1 && isPlainObject(first)
      ? first
      : Object.fromEntries(names.map((name, i) => [name, args[i]]));
  const params = new URLSearchParams();
  for (const name of names) {
    const value = source[name];
    if (value !== undefined && value !== null) params.set(name, queryValue(value));
  }
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

function bodyOf(method: AdminMethod, args: readonly unknown[]): unknown {
  const fields = BODY_FIELDS[method];
  if (fields) {
    return Object.fromEntries(fields.flatMap((f, i) => (args[i] === undefined ? [] : [[f, args[i]]])));
  }
  return args[0];
}

const baseHeaders = (token: string | null): Record<string, string> =>
  token ? { accept: 'application/json', authorization: `Bearer ${token}` } : { accept: 'application/json' };

const withJsonBody = (request: HttpRequest, body: unknown): HttpRequest =>
  body === undefined
    ? request
    : {
        ...request,
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };

/** The HTTP request for one contract call. `base` is the path prefix in front of /admin/api ('' usually). */
export function buildRequest(
  method: AdminMethod,
  args: readonly unknown[],
  options: { base: string; token: string | null },
): HttpRequest {
  const route = ADMIN_HTTP[method];
  let path = route.path;
  let rest = args;
  if (path.includes(':id')) {
    const [id, ...others] = args;
    if (typeof id !== 'string' || id === '') {
      throw new AdminError(0, 'invalid_argument', `${method} needs an id as its first argument.`);
    }
    path = path.replace(':id', encodeURIComponent(id));
    rest = others;
  }
  const request: HttpRequest = {
    method: route.method,
    url: options.base + path,
    headers: baseHeaders(options.token),
  };
  if (route.method === 'GET') return { ...request, url: request.url + queryOf(route.query ?? [], rest) };
  return withJsonBody(request, bodyOf(method, rest));
}

/** An error response as AdminError: the server's `{"error":{…}}` body when there is one. */
export function errorFromBody(status: number, statusText: string, text: string): AdminError {
  let message = statusText || `HTTP ${status}`;
  let code = `http_${status}`;
  try {
    const parsed: unknown = JSON.parse(text);
    const error = isPlainObject(parsed) ? parsed.error : undefined;
    if (isPlainObject(error)) {
      if (typeof error.message === 'string' && error.message !== '') message = error.message;
      if (typeof error.code === 'string' && error.code !== '') code = error.code;
    }
  } catch {
    // Not JSON (a proxy's HTML error page…): keep the status line.
  }
  return new AdminError(status, code, message);
}

async function send(fetchFn: FetchLike, request: HttpRequest): Promise<HttpResponseLike> {
  try {
    return await fetchFn(request.url, request);
  } catch (err) {
    throw new AdminError(0, 'network_error', errorMessage(err));
  }
}

/** The parsed JSON result (undefined for 204 / empty bodies); throws AdminError on 4xx/5xx. */
export async function readResult(response: HttpResponseLike): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw errorFromBody(response.status, response.statusText, text);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminError(response.status, 'invalid_response', 'The server sent a response that is not JSON.');
  }
}

export interface HttpAdminOptions {
  base: string;
  fetch: FetchLike;
  token: () => string | null;
  /** A call found the session gone (401 admin_unauthorized). */
  onUnauthorized: () => void;
}

export function createHttpAdmin(options: HttpAdminOptions): AdminApi {
  return implementAdmin(async (method, args) => {
    const request = buildRequest(method, args, { base: options.base, token: options.token() });
    try {
      const result = await readResult(await send(options.fetch, request));
      const field = RESULT_FIELDS[method];
      return field !== undefined && isPlainObject(result) ? result[field] : result;
    } catch (err) {
      if (isUnauthorized(err)) options.onUnauthorized();
      throw err;
    }
  });
}

/** POST /admin/api/login: a wrong password is an AdminError like any other (401 or 429). */
export async function login(fetchFn: FetchLike, base: string, password: string): Promise<AdminSession> {
  const request = withJsonBody(
    { method: 'POST', url: base + ADMIN_LOGIN_PATH, headers: baseHeaders(null) },
    { password },
  );
  const session = await readResult(await send(fetchFn, request));
  if (!isPlainObject(session) || typeof session.token !== 'string' || typeof session.expiresAt !== 'number') {
    throw new AdminError(200, 'invalid_response', 'The login answer has no session token.');
  }
  return { token: session.token, expiresAt: session.expiresAt };
}

export async function logout(fetchFn: FetchLike, base: string, token: string): Promise<void> {
  await readResult(
    await send(fetchFn, { method: 'POST', url: base + ADMIN_LOGOUT_PATH, headers: baseHeaders(token) }),
  );
}

/**
 * The path prefix in front of /admin/ (a reverse proxy may mount the gateway under a sub-path), so
 * API calls go to the same server that served the page. '' when the page is not under /admin/ (dev).
 */
export function apiBaseOf(pathname: string): string {
  const at = pathname.lastIndexOf('/admin/');
  return at > 0 ? pathname.slice(0, at) : '';
}
