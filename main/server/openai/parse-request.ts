/** Turns a zod failure into one readable 400 in OpenAI's shape, naming the offending field. */
import type { z } from 'zod';
import { ApiError } from '../errors';

type Issue = z.ZodError['issues'][number];

/**
 * Far beyond any real request (a JSON Schema 50 objects deep is ~100 levels). Deeper bodies are
 * hostile: JSON.stringify of the upstream body recurses and would overflow the stack (a 500).
 */
export const MAX_JSON_DEPTH = 256;

/** Whether objects/arrays nest deeper than `maxDepth`. Iterative, so hostile depth is safe here too. */
export function exceedsJsonDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: { node: object; depth: number }[] = [];
  if (typeof value === 'object' && value !== null) stack.push({ node: value, depth: 1 });
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > maxDepth) return true;
    const children: unknown[] = Array.isArray(top.node) ? top.node : Object.values(top.node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: top.depth + 1 });
    }
  }
  return false;
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    const s = String(part);
    return acc ? `${acc}.${s}` : s;
  }, '');

/**
 * zod reports a failed union as a bare "Invalid input" at the union's path. The branch that got
 * furthest into the value is the one the client meant (`image_url: {}` → `image_url.url` is missing),
 * so its issue is reported instead; when every branch failed on the value's type, their expected
 * types are combined. Nested issue paths are relative to the union, hence `base`.
 */
function specificIssue(issue: Issue, base: readonly PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, message: issue.message };
  const firsts = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  const furthest = firsts.reduce<Issue | undefined>(
    (best, i) => (best === undefined || i.path.length > best.path.length ? i : best),
    undefined,
  );
  if (furthest === undefined) return { path, message: issue.message };
  if (furthest.path.length > 0) return specificIssue(furthest, path);
  // Every branch failed on the value itself: a branch whose type matched (an enum) says the most.
  const valueIssue = firsts.find((i) => i.code !== 'invalid_type');
  if (valueIssue) return specificIssue(valueIssue, path);
  const expected = [...new Set(firsts.map((i) => (i.code === 'invalid_type' ? i.expected : '')))];
  const received = /received (\S+)/.exec(furthest.message)?.[1];
  const message = `Invalid input: expected ${expected.filter(Boolean).join(' or ')}${received ? `, received ${received}` : ''}`;
  return { path, message };
}

export const zodToApiError = (error: z.ZodError): ApiError => {
  const first = error.issues[0];
  if (!first) return new ApiError('invalid_request', 'The request body is invalid.');
  const issue = specificIssue(first, []);
  const param = formatPath(issue.path);
  const message = param ? `Invalid value for '${param}': ${issue.message}` : issue.message;
  return new ApiError('invalid_request', message, { param: param || null });
};

export const parseBody = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    // A string body is what fastify's text/plain parser hands over, so name the content type too.
    throw new ApiError(
      'invalid_request',
      'The request body must be a JSON object, sent with Content-Type: application/json.',
    );
  }
  if (exceedsJsonDepth(body)) {
    throw new ApiError('invalid_request', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  const result = schema.safeParse(body);
  if (!result.success) throw zodToApiError(result.error);
  return result.data;
};
