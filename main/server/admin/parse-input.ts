/** A contract schema applied to an argument: a 400 naming the field when it does not match. */
import type { z } from 'zod';
import { zodToApiError } from '../openai/parse-request';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodToApiError(result.error);
  return result.data;
}
