/** Cutting text to a length without leaving half a character behind. */

/**
 * Where to cut `text` to keep at most `end` UTF-16 code units: `end`, or one less when that would
 * split a surrogate pair (an emoji, say). A lone surrogate is not valid UTF-8: it would come back as
 * U+FFFD from the journal, the console or a log stream.
 */
export function cutIndex(text: string, end: number): number {
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}
