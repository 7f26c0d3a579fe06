/**
 * The `auth <password>` chat command (inherited from the Python proxy): some hosting front-ends
 * swallow the Authorization header, so a user can authorise their IP by sending "auth <password>"
 * as a chat message. Only a message that is exactly the command counts — not one that mentions it —
 * and the password is compared case-sensitively (the seed lower-cased it, breaking such passwords).
 */
import type { ChatCompletionChunk, ChatCompletion } from '../openai/chat-response';

const COMMAND = /^auth\s+(\S(?:[\s\S]*\S)?)$/i;

interface MessageLike {
  role?: unknown;
  content?: unknown;
}

const textOf = (content: unknown): string | undefined => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  for (const part of content as unknown[]) {
    if (!part || typeof part !== 'object') return undefined;
    const p = part as { type?: unknown; text?: unknown };
    if (p.type !== 'text' || typeof p.text !== 'string') return undefined;
    parts.push(p.text);
  }
  return parts.join('');
};

/** The password of an auth command in the last user message, or undefined when there is none. */
export function authCommandPassword(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as MessageLike | null;
    if (!m || typeof m !== 'object' || m.role !== 'user') continue;
    const text = textOf(m.content)?.trim();
    return text === undefined ? undefined : COMMAND.exec(text)?.[1];
  }
  return undefined;
}

const base = (id: string, created: number, model: string) => ({
  id,
  created,
  model,
  system_fingerprint: 'fp_gemgate',
});

export function authReply(id: string, created: number, model: string, text: string): ChatCompletion {
  return {
    ...base(id, created, model),
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

export function authReplyChunks(
  id: string,
  created: number,
  model: string,
  text: string,
  includeUsage: boolean,
): ChatCompletionChunk[] {
  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: 'stop' | null,
  ): ChatCompletionChunk => ({
    ...base(id, created, model),
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks = [
    chunk({ role: 'assistant', content: '' }, null),
    chunk({ content: text }, null),
    chunk({}, 'stop'),
  ];
  if (includeUsage) {
    chunks.push({
      ...base(id, created, model),
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  }
  return chunks;
}
