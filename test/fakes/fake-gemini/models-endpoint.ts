/**
 * `GET /v1beta/models` and `GET /v1beta/models/{id}` (wire-format §1.3): pageSize defaults to 50 and
 * is capped at 1000, the page token is opaque, `nextPageToken` is omitted on the last page, and a
 * single model comes back bare (no wrapper).
 */
import type { Catalogue } from './catalogue';
import { invalidArgument, modelNotFound } from './gemini-errors';
import { errorPlan, okPlan, type ResponsePlan } from './plan';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
const TOKEN_PREFIX = 'fake-models-offset:';

const encodeToken = (offset: number): string => Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64url');

function decodeToken(token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) return undefined;
  const offset = Number(text.slice(TOKEN_PREFIX.length));
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

export function listModels(catalogue: Catalogue, query: Record<string, string>): ResponsePlan {
  const rawSize = query['pageSize'] ?? query['page_size'];
  const requested = rawSize === undefined || rawSize === '' ? 0 : Number(rawSize);
  if (!Number.isInteger(requested) || requested < 0) {
    return errorPlan(invalidArgument(`Invalid value at 'page_size' (TYPE_INT32), "${rawSize}"`));
  }
  const pageSize = Math.min(requested === 0 ? DEFAULT_PAGE_SIZE : requested, MAX_PAGE_SIZE);
  const token = query['pageToken'] ?? query['page_token'];
  const offset = token === undefined || token === '' ? 0 : decodeToken(token);
  if (offset === undefined) return errorPlan(invalidArgument('Invalid page token.'));
  const page = catalogue.models.slice(offset, offset + pageSize).map((m) => m.wire);
  const next = offset + pageSize;
  return okPlan({
    models: page,
    ...(next < catalogue.models.length ? { nextPageToken: encodeToken(next) } : {}),
  });
}

export function getModel(catalogue: Catalogue, id: string): ResponsePlan {
  const model = catalogue.find(id);
  return model === undefined ? errorPlan(modelNotFound(id, 'get')) : okPlan(model.wire);
}
