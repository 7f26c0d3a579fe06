/**
 * How far V8 lets the heap grow before its next full collection. By default the old generation may
 * reach up to four times what survived the last one. The gateway keeps little (25–80 MB live, even
 * with a thousand open streams), and nearly everything a request allocates dies with it — but under
 * load much of it lives just long enough to be promoted. So that headroom fills with garbage: under
 * sustained traffic the process sat 50–70 MiB above what it needed. Growth capped at 1.6× the live
 * heap keeps that garbage small; collecting a small live heap a little more often costs no CPU that
 * the bench can see (BENCHMARKS.md has the A/B).
 *
 * Both composition roots call this at start-up, before the heap has grown. A value given on the
 * command line (`node --heap-growing-percent=N …`) wins: it is the operator's choice.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 60;

const GIVEN_ON_COMMAND_LINE = /^--heap[-_]growing[-_]percent(=|$)/;

/** Returns whether the limit was set here (false when the command line already set one). */
export function limitHeapGrowth(
  execArgv: readonly string[],
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  if (execArgv.some((arg) => GIVEN_ON_COMMAND_LINE.test(arg))) return false;
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
