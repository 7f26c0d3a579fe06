/**
 * An optional request field where `null` counts as absent (many clients send `"stop": null`,
 * `"tools": null`); the output has `undefined` for both. `.optional()` is outermost on purpose: a
 * request names a handful of its ~30 optional fields, and for an absent one zod then returns at
 * once instead of running the null check and the transform — half the cost of a whole chat parse.
 */
import type { z } from 'zod';

export const opt = <T extends z.ZodType>(schema: T) =>
  schema
    .nullable()
    .transform((value) => value ?? undefined)
    .optional();
