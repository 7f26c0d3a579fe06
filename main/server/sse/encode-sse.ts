/** OpenAI-dialect SSE framing (wire-format §3.4): one `data:` line per event, blank line after it. */

/** `data: <json>\n\n`. JSON.stringify escapes every line break, so the payload cannot break the frame. */
export function sseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * `: <text>\n\n`, a comment every SSE client ignores: used as a keep-alive during long thinking.
 * Line breaks in `text` would end the comment and let the rest be read as fields, so they become spaces.
 */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
