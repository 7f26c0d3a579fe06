import type { OutImage, OutToolCall } from '../../openai/chat-response';
import type { GeminiFunctionCall, GeminiPart } from './gemini-types';
import type { PartContext } from './response-context';

/**
 * One candidate's Gemini parts → OpenAI message pieces (wire-format §4.6.3), shared by the
 * non-streaming converter and the stream transformer.
 *
 * Parts are pushed into a `PartSink` instead of being returned as tagged objects: the stream path
 * runs this for every chunk, and a long-lived sink costs no allocation per part.
 */
export interface PartSink {
  /** Visible answer text: model text, fenced code blocks, image markdown. */
  content(text: string): void;
  /** Thought-summary text (`thought: true`). */
  reasoning(text: string): void;
  toolCall(call: OutToolCall): void;
  /** `markdown` is the content text that stands for the image; the sink must emit both. */
  image(image: OutImage, markdown: string): void;
}

export function emitParts(parts: readonly GeminiPart[] | undefined, ctx: PartContext, sink: PartSink): void {
  if (parts) for (const part of parts) emitPart(part, ctx, sink);
}

export function emitPart(part: GeminiPart, ctx: PartContext, sink: PartSink): void {
  if (part.functionCall) {
    sink.toolCall(toToolCall(part.functionCall, part.thoughtSignature, ctx));
  } else if (part.inlineData) {
    // Thought images are drafts the model shows itself; non-image inline data has no OpenAI slot.
    if (part.thought === true || !part.inlineData.mimeType.startsWith('image/')) return;
    const url = ctx.imageUrl(part.inlineData);
    sink.image({ type: 'image_url', image_url: { url } }, imageMarkdown(url));
  } else if (part.executableCode) {
    sink.content(fenced(codeLanguage(part.executableCode.language), part.executableCode.code));
  } else if (part.codeExecutionResult) {
    sink.content(fenced('output', part.codeExecutionResult.output ?? ''));
  } else if (part.text) {
    // Empty texts (often only carriers of a Gemini 3 text signature) are skipped: text signatures are
    // not enforced on replay, so they are dropped (wire-format §4.6.4).
    if (part.thought === true) sink.reasoning(part.text);
    else sink.content(part.text);
  }
}

/**
 * Whether `emitPart` would produce anything a user sees (content, tool call or image); thoughts do
 * not count. Kept next to `emitPart` so the two cannot drift apart.
 */
export function isVisiblePart(part: GeminiPart): boolean {
  if (part.functionCall || part.executableCode || part.codeExecutionResult) return true;
  if (part.inlineData) return part.thought !== true && part.inlineData.mimeType.startsWith('image/');
  return !!part.text && part.thought !== true;
}

/** The content text standing for an image; blank lines around it keep it a block of its own. */
export function imageMarkdown(url: string): string {
  return `\n\n![image](${url})\n\n`;
}

function toToolCall(call: GeminiFunctionCall, signature: string | undefined, ctx: PartContext): OutToolCall {
  const out: OutToolCall = {
    id: call.id ?? ctx.newToolCallId(),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
  };
  // The signature must travel back with the call, or Gemini 3 rejects the next turn (§1.5.5, §4.6.4).
  if (signature) out.extra_content = { google: { thought_signature: signature } };
  return out;
}

/** Gemini code execution only runs Python; its enum is `PYTHON` or `LANGUAGE_UNSPECIFIED`. */
function codeLanguage(language: string | undefined): string {
  return language && language !== 'LANGUAGE_UNSPECIFIED' ? language.toLowerCase() : 'python';
}

function fenced(info: string, body: string): string {
  // A fence must be longer than any backtick run inside the body, or the body would close it early.
  let fence = '```';
  while (body.includes(fence)) fence += '`';
  const newline = body === '' || body.endsWith('\n') ? '' : '\n';
  return `\n\n${fence}${info}\n${body}${newline}${fence}\n\n`;
}

/** A candidate's parts gathered into one message's worth of pieces (non-streaming). */
export interface CollectedParts {
  content: string;
  reasoning: string;
  toolCalls: OutToolCall[];
  images: OutImage[];
}

export function collectParts(parts: readonly GeminiPart[] | undefined, ctx: PartContext): CollectedParts {
  const out: CollectedParts = { content: '', reasoning: '', toolCalls: [], images: [] };
  emitParts(parts, ctx, {
    content: (text) => {
      out.content += text;
    },
    reasoning: (text) => {
      out.reasoning += text;
    },
    toolCall: (call) => {
      out.toolCalls.push(call);
    },
    image: (image, markdown) => {
      out.images.push(image);
      out.content += markdown;
    },
  });
  return out;
}
