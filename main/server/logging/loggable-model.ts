/**
 * The model a client named, as the gateway may record it: in the request log line, on the log bus
 * (kept in a ring, streamed to every viewer) and in the usage journal (one bucket per distinct model,
 * kept for 31 days). The name comes straight from a JSON body — on /xai from a caller who needs no
 * gateway credential at all — so it is bounded here: a 50 MB "model" must not be kept 2000 times over
 * nor persisted, and a newline or an ESC must not forge console lines or colour them.
 *
 * Only what is recorded changes: the request itself still goes upstream with the name as sent.
 */
import { cutIndex } from './cut-text';

/** Longer than any real model id (Gemini's and xAI's are under 64), short enough to keep anywhere. */
export const MAX_LOGGABLE_MODEL_CHARS = 128;

/**
 * Characters that change how a line reads rather than what it says: C0 controls (newline, ESC…),
 * DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional overrides and
 * isolates (which can make a line display in another order than it is stored). By code, not by a
 * regex: a name is at most 128 characters by then, and the lint forbids controls in regexes.
 */
const isControl = (code: number): boolean =>
  code <= 0x1f ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x2028 ||
  code === 0x2029 ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);
const REPLACEMENT = '\ufffd';
const CUT = '…';

export function loggableModel(model: string): string {
  let out = model;
  if (out.length > MAX_LOGGABLE_MODEL_CHARS) {
    // Never half an emoji: a lone surrogate is not valid UTF-8 in the journal or on the console.
    const end = cutIndex(out, MAX_LOGGABLE_MODEL_CHARS - CUT.length);
    out = out.slice(0, end) + CUT;
  }
  let clean = '';
  let from = 0;
  for (let i = 0; i < out.length; i++) {
    if (!isControl(out.charCodeAt(i))) continue;
    clean += out.slice(from, i) + REPLACEMENT;
    from = i + 1;
  }
  // The common, clean name is returned as it came, without a copy.
  return from === 0 ? out : clean + out.slice(from);
}
