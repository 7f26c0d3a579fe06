/**
 * Masks secrets inside free text (upstream error messages, log lines, network error descriptions)
 * before it is stored, logged or sent to a client. Every pattern is a plain character-class run
 * behind a literal prefix, so matching stays linear in the length of the text (no nested
 * quantifiers, no backtracking blow-up on hostile input).
 */
import { maskKey } from '../keys/mask-key';

/**
 * Values shorter than this are masked completely rather than with `maskKey`: showing 8 characters
 * of a 13-character access key or password would reveal most of it. Google keys (39 chars) and xAI
 * keys (84 chars) are far longer, so they keep their recognisable ends.
 */
const MIN_LENGTH_TO_SHOW_ENDS = 24;
/** Shorter extra secrets (e.g. the default password "123") would mask ordinary words and digits. */
const MIN_EXTRA_SECRET_LENGTH = 4;

const maskValue = (value: string): string =>
  value.length >= MIN_LENGTH_TO_SHOW_ENDS ? maskKey(value) : '****';

// `key=` as a whole parameter name (`?key=`, `&key=`, `api_key=`), not `monkey=`.
const KEY_PARAM = /(?<![A-Za-z0-9])(key=)([^&#\s"'<>]+)/gi;
const BEARER = /\b(Bearer\s+)([A-Za-z0-9._~+/=-]+)/gi;
const GOOGLE_API_KEY = /AIza[0-9A-Za-z_-]{35}/g;
const XAI_KEY = /\bxai-[A-Za-z0-9_-]{20,}/g;
const ACCESS_KEY = /\bsk-[A-Za-z0-9_-]{8,}/g;

/**
 * Matches wherever any pattern below could: one cheap test lets the common case — a log line with
 * nothing secret in it, on every request — skip five regex replacements. The key patterns keep their
 * length here, so an already masked key (`AIza…0001`, in every request's log line) does not count.
 */
const MAYBE_SECRET = /AIza[0-9A-Za-z_-]{35}|key=|bearer|xai-[A-Za-z0-9_-]{20}|sk-[A-Za-z0-9_-]{8}/i;

export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  // Exact secrets first: a password may sit inside a URL or header that the patterns below would
  // only partly cover.
  for (const secret of extraSecrets) {
    if (secret.length >= MIN_EXTRA_SECRET_LENGTH && out.includes(secret)) {
      out = out.split(secret).join(maskValue(secret));
    }
  }
  if (!MAYBE_SECRET.test(out)) return out;
  return out
    .replace(KEY_PARAM, (_m, prefix: string, value: string) => prefix + maskValue(value))
    .replace(BEARER, (_m, prefix: string, value: string) => prefix + maskValue(value))
    .replace(GOOGLE_API_KEY, (key) => maskKey(key))
    .replace(XAI_KEY, (key) => maskValue(key))
    .replace(ACCESS_KEY, (key) => maskValue(key));
}
