/**
 * The path a request is actually routed by, for deciding which access rules apply to it.
 *
 * `request.url` is the raw request-target, but the router (find-my-way) percent-decodes it and strips
 * an absolute-form origin first: `GET /%761/models` and `GET http://host/v1/models` both run the
 * /v1/models handler. A prefix check on the raw URL therefore let such requests skip the password,
 * the rate limits and the admin sign-in. The matched route's pattern is what really runs, so it
 * decides; when no route matched (the 404 handler, the CORS preflight wildcard) a decoded path stands
 * in, so unknown native routes are still guarded and answered in their dialect.
 */
import type { FastifyRequest } from 'fastify';

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** The raw URL reduced to a decoded path: no origin, no query or fragment, percent-escapes decoded. */
export function decodedPath(url: string): string {
  const path = url.replace(ABSOLUTE_FORM, '').split(/[?#]/, 1)[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a malformed escape: the router refuses such URLs anyway
  }
}

/** The route pattern that will handle the request, or its decoded path when no real route matched. */
export function routedPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  return pattern !== undefined && !pattern.includes('*') ? pattern : decodedPath(request.url);
}
