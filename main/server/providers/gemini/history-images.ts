/**
 * Images in the conversation history (issue "Images" §3). Editing works by sending earlier images
 * back: user `image_url` parts, and the markdown images (`![image](url)`) our own replies put into
 * assistant content. HISTORY_IMAGE_SUBMIT_TYPE decides which go back as inlineData:
 * - `last`: only the images of the most recent message that has any (what "make it wear a hat" means);
 * - `all`: every image.
 * The rest become a short text marker — never a fake 1×1 pixel, which a model would happily describe.
 */
import type { ChatMessage } from '../../openai/chat-request';

export type HistoryImageMode = 'last' | 'all';

export interface ImageRef {
  /** Index of the message in `messages`. */
  message: number;
  url: string;
  /** `image_url` failures are the client's error (400); a dead link in old markdown is not. */
  kind: 'image_url' | 'markdown';
}

export const OMITTED_IMAGE_MARKER = '[image]';

/** `![alt](url)` or `![alt](<url> "title")`; alt text on one line; linear-time. */
const MARKDOWN_IMAGE =
  /!\[[^\]\n]{0,1000}\]\(\s{0,10}<?([^\s()<>]+)>?(?:\s{1,10}"[^"\n]{0,1000}")?\s{0,10}\)/g;

export type TextSegment = { text: string } | { imageUrl: string };

/** Splits text at markdown images (the only images an assistant message can carry). */
export function splitMarkdownImages(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKDOWN_IMAGE)) {
    const url = match[1]!;
    if (!/^(https?:|data:image\/)/i.test(url)) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ imageUrl: url });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

const assistantText = (message: Extract<ChatMessage, { role: 'assistant' }>): string => {
  const { content } = message;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
};

/** Every image reference, in conversation order. */
export function findImageRefs(messages: readonly ChatMessage[]): ImageRef[] {
  const refs: ImageRef[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'user' && typeof message.content !== 'string') {
      for (const part of message.content) {
        if (part.type === 'image_url')
          refs.push({ message: index, url: part.image_url.url, kind: 'image_url' });
      }
    } else if (message.role === 'assistant') {
      for (const segment of splitMarkdownImages(assistantText(message))) {
        if ('imageUrl' in segment) refs.push({ message: index, url: segment.imageUrl, kind: 'markdown' });
      }
    }
  });
  return refs;
}

/** Which messages' images are sent back as images. */
export function resubmittedMessages(
  messages: readonly ChatMessage[],
  mode: HistoryImageMode,
): (index: number) => boolean {
  if (mode === 'all') return () => true;
  const refs = findImageRefs(messages);
  const lastWithImage = refs.at(-1)?.message;
  return (index) => index === lastWithImage;
}

/** The http(s) image URLs that will be sent back, in order, de-duplicated by URL (first kind wins). */
export function resubmittedRemoteRefs(messages: readonly ChatMessage[], mode: HistoryImageMode): ImageRef[] {
  const selected = resubmittedMessages(messages, mode);
  const seen = new Set<string>();
  const out: ImageRef[] = [];
  for (const ref of findImageRefs(messages)) {
    if (!selected(ref.message) || !/^https?:\/\//i.test(ref.url) || seen.has(ref.url)) continue;
    seen.add(ref.url);
    out.push(ref);
  }
  return out;
}
