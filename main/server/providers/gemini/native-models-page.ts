/**
 * `GET /v1beta/models` served from the cached catalogue, paged the way Google pages it (wire-format
 * §1.3): `pageSize` defaults to 50 and is capped at 1000, `pageToken` is opaque, `nextPageToken` is
 * omitted on the last page. Pure.
 */
import { ApiError } from '../../errors';
import type { GeminiListModelsResponse, GeminiModel } from './gemini-types';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const TOKEN_PREFIX = 'gemgate-models:';

/** Opaque to clients; an offset into the list (a list refreshed between pages may shift a little). */
export const pageTokenFor = (offset: number): string =>
  Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64url');

function offsetOf(token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) return undefined;
  const digits = text.slice(TOKEN_PREFIX.length);
  if (!/^\d{1,9}$/.test(digits)) return undefined;
  return Number(digits);
}

/** The first value of a query parameter under either spelling Google accepts. */
const param = (query: URLSearchParams, camel: string, snake: string): string | undefined =>
  query.get(camel) ?? query.get(snake) ?? undefined;

export function pageOfModels(
  models: readonly GeminiModel[],
  query: URLSearchParams,
): GeminiListModelsResponse {
  const rawSize = param(query, 'pageSize', 'page_size');
  const size = rawSize === undefined || rawSize.trim() === '' ? 0 : Number(rawSize);
  if (!Number.isInteger(size) || size < 0) {
    throw new ApiError('invalid_request', `Invalid value at 'page_size' (TYPE_INT32), "${rawSize}"`);
  }
  const pageSize = Math.min(size === 0 ? DEFAULT_PAGE_SIZE : size, MAX_PAGE_SIZE);
  const token = param(query, 'pageToken', 'page_token');
  const offset = token === undefined || token === '' ? 0 : offsetOf(token);
  if (offset === undefined) throw new ApiError('invalid_request', 'Invalid page token.');
  const next = offset + pageSize;
  return {
    models: models.slice(offset, next),
    ...(next < models.length ? { nextPageToken: pageTokenFor(next) } : {}),
  };
}
