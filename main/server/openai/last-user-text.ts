/**
 * The text of a chat's last user message: what an image model draws when it is picked in a chat
 * (Grok images on the xAI relay, routes/relay/image-chat.ts; Imagen, chat/imagen-chat.ts). Reads the
 * messages as sent (unknown): the relay never parses the chat request. Pure.
 */

const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content as unknown[]) {
    const p = part as { type?: unknown; text?: unknown } | null;
    if (p && typeof p === 'object' && p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
  }
  return texts.join('\n');
};

/** The text of the last user message (its text parts joined), trimmed; undefined when it has none. */
export function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (!m || typeof m !== 'object' || m.role !== 'user') continue;
    const text = textOf(m.content).trim();
    return text === '' ? undefined : text;
  }
  return undefined;
}
