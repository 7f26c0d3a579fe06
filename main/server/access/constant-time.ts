import { hash, timingSafeEqual } from 'node:crypto';

// One-shot hashing (Node ≥ 20.12): about a quarter cheaper than createHash().update().digest(), and
// this runs on every authenticated request.
const sha256 = (text: string): Buffer => hash('sha256', text, 'buffer');

/** The configured secret changes rarely: its digest is computed once, not on every request. */
let lastExpected: { text: string; digest: Buffer } | undefined;

/**
 * Compares secrets in constant time. Hashing first gives equal-length inputs, so neither the
 * content nor the length of the configured secret leaks through timing.
 */
export const secretEquals = (given: string, expected: string): boolean => {
  if (lastExpected?.text !== expected) lastExpected = { text: expected, digest: sha256(expected) };
  return timingSafeEqual(sha256(given), lastExpected.digest);
};
