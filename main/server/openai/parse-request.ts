/** Turns a zod failure into one readable 400 in OpenAI's shape, naming the offending field. */
import type { z } from 'zod';
import { ApiError } from '../errors';

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    const s = String(part);
    return acc ? `${acc}.${s}` : s;
  }, '');

export const zodToApiError = (error: z.ZodError): ApiError => {
  const issue = error.issues[0];
  if (!issue) return new ApiError('invalid_request', 'The request body is invalid.');
  const param = formatPath(issue.path);
  const message = param ? `Invalid value for '${param}': ${issue.message}` : issue.message;
  return new ApiError('invalid_request', message, { param: param || null });
};

export const parseBody = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('invalid_request', 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (!result.success) throw zodToApiError(result.error);
  return result.data;
};
