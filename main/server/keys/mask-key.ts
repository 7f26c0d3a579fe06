/**
 * The one way a secret is shown to people (logs, key health, the UI): enough to tell keys apart,
 * never enough to use one.
 */

/** Below this length the first and last 4 characters would give away most of the secret. */
const MIN_LENGTH_TO_SHOW_ENDS = 12;
const FULL_MASK = '****';

/** `AIzaSyD…9xQk`-style: the first 4 and last 4 characters; short values are masked completely. */
export function maskKey(key: string): string {
  if (key.length < MIN_LENGTH_TO_SHOW_ENDS) return FULL_MASK;
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}
