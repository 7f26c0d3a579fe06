import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares secrets in constant time. Hashing first gives equal-length inputs, so neither the
 * content nor the length of the configured secret leaks through timing.
 */
export const secretEquals = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );
