/**
 * A chat reply made of images (Grok images on the xAI relay, routes/relay/image-chat.ts; Imagen in a
 * chat, chat/imagen-chat.ts): the revised prompt, then one markdown image per result, as a
 * `chat.completion` or as `chat.completion.chunk`s (wire-format §3.3, §3.4). `images`, when given,
 * also go into `message.images` / `delta.images`, as Gemini image models' chat answers carry them.
 * Pure: the id and the time are passed in.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionUsage, OutImage } from './chat-response';

/** Characters that would end a markdown link target early. */
const markdownUrl = (url: string): string =>
  url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

export function imageReplyContent(revisedPrompt: string | undefined, urls: readonly string[]): string {
  const images = urls.map((url, i) => `![image ${i + 1}](${markdownUrl(url)})`);
  const text = revisedPrompt?.trim();
  return [...(text ? [text] : []), ...images].join('\n\n');
}

export interface ReplyMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

const NO_USAGE: ChatCompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
/** The gateway wrote this reply, not a model: the same fingerprint as its other own replies. */
const FINGERPRINT = 'fp_gemgate';

export function imageChatCompletion(
  meta: ReplyMeta,
  content: string,
  images?: readonly OutImage[],
): ChatCompletion {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: FINGERPRINT,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          ...(images && images.length > 0 ? { images: [...images] } : {}),
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: NO_USAGE,
  };
}

/** Role, content, finish; with `include_usage` a usage chunk last and `usage: null` before it. */
export function imageChatChunks(
  meta: ReplyMeta,
  content: string,
  includeUsage: boolean,
  images?: readonly OutImage[],
): ChatCompletionChunk[] {
  const base = {
    id: meta.id,
    object: 'chat.completion.chunk' as const,
    created: meta.created,
    model: meta.model,
    system_fingerprint: FINGERPRINT,
  };
  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: 'stop' | null,
  ): ChatCompletionChunk => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks = [
    chunk({ role: 'assistant', content: '' }, null),
    chunk({ content, ...(images && images.length > 0 ? { images: [...images] } : {}) }, null),
    chunk({}, 'stop'),
  ];
  if (includeUsage) chunks.push({ ...base, choices: [], usage: NO_USAGE });
  return chunks;
}
