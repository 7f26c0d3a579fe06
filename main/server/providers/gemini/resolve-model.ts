/**
 * Turns the client's `model` into the upstream model id plus an optional thinking request carried in
 * a name suffix (`-nothinking`, `-maxthinking`, `-thinking-<N>`), the convention clients use to pick a
 * thinking setting from a plain model dropdown.
 */
import { ApiError } from '../../errors';

export type ThinkingRequest = { kind: 'off' } | { kind: 'max' } | { kind: 'budget'; budget: number };

export interface ResolvedModel {
  /** What the client sent, verbatim (echoed back in responses). */
  requested: string;
  /** The id that goes into `/v1beta/models/{upstream}:generateContent`. */
  upstream: string;
  suffix?: ThinkingRequest;
}

/**
 * The id ends up in the upstream URL path, so only a conservative charset is let through: no slashes,
 * colons (`:generateContent` is ours to add), query or fragment characters, spaces or `..`.
 */
const SAFE_MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const SUFFIXES: readonly { pattern: RegExp; parse: (match: RegExpExecArray) => ThinkingRequest }[] = [
  { pattern: /-nothinking$/i, parse: () => ({ kind: 'off' }) },
  { pattern: /-maxthinking$/i, parse: () => ({ kind: 'max' }) },
  {
    pattern: /-thinking-(\d+)$/i,
    parse: (match) => {
      // Huge N only needs to stay a safe integer: thinking-config clamps it into the model's range.
      const budget = Math.min(Number(match[1]), Number.MAX_SAFE_INTEGER);
      return budget === 0 ? { kind: 'off' } : { kind: 'budget', budget };
    },
  },
];

export function resolveModel(requested: string): ResolvedModel {
  const id = requested.startsWith('models/') ? requested.slice('models/'.length) : requested;
  if (!SAFE_MODEL_ID.test(id) || id.includes('..')) {
    throw new ApiError(
      'invalid_request',
      'Invalid model id: use letters, digits, ".", "_" and "-" only (at most 128 characters), e.g. "gemini-2.5-flash".',
      { param: 'model' },
    );
  }
  for (const { pattern, parse } of SUFFIXES) {
    const match = pattern.exec(id);
    // The safe-id rule guarantees a leading alphanumeric, so stripping a suffix never empties the id.
    if (match) return { requested, upstream: id.slice(0, match.index), suffix: parse(match) };
  }
  return { requested, upstream: id };
}
