/**
 * OpenAI `messages` → Gemini `contents` + `systemInstruction` (wire-format §4.2, thought signatures
 * §1.5.5 and §4.6.4). Pure: remote images arrive pre-fetched and tool-call records through a lookup.
 */
import { ApiError } from '../../errors';
import type { ChatMessage, ToolCall, UserContentPart } from '../../openai/chat-request';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../openai/parse-request';
import { normaliseBase64, parseDataUrl } from './data-url';
import type { GeminiContent, GeminiFunctionCall, GeminiPart } from './gemini-types';
import { OMITTED_IMAGE_MARKER, splitMarkdownImages } from './history-images';
import { markUnsignedCurrentCalls } from './replayed-signatures';

/** A remote image the route fetched through the SSRF guard; `data` is base64. */
export interface RemoteMedia {
  mimeType: string;
  data: string;
}

/** What Gemgate remembers about a tool call it emitted (§4.6.4 option 2). */
export interface ToolCallRecord {
  signature?: string;
  geminiId?: string;
}

export interface ConvertMessagesContext {
  remoteMedia: ReadonlyMap<string, RemoteMedia>;
  lookupToolCall: (toolCallId: string) => ToolCallRecord | undefined;
  /** Gemini 3 rejects unsigned function calls in the current turn (§1.5.5). */
  enforcesThoughtSignatures: boolean;
  /**
   * Whether the images of message i go back to Gemini as images (HISTORY_IMAGE_SUBMIT_TYPE, see
   * history-images.ts); the others become a text marker. Default: all of them.
   */
  resubmitImagesOf?: (messageIndex: number) => boolean;
}

export interface ConvertedMessages {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
}

type Turn = { role: 'user' | 'model'; parts: GeminiPart[] };
type TextOnlyContent = string | { type: 'text'; text: string }[];

interface IssuedCall {
  name: string;
  geminiId?: string;
  /** Position among all calls of the conversation, to put answers back in call order. */
  order: number;
}

const AUDIO_MIME_TYPES: Readonly<Record<string, string>> = { mp3: 'audio/mp3', wav: 'audio/wav' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const textsOf = (content: TextOnlyContent): string[] =>
  typeof content === 'string' ? [content] : content.map((part) => part.text);

function imagePart(url: string, param: string, ctx: ConvertMessagesContext): GeminiPart {
  if (/^data:/i.test(url)) {
    const inlineData = parseDataUrl(url);
    if (!inlineData) {
      throw new ApiError('invalid_image_url', 'The image data URL is not a valid data:<mime>;base64,… URL.', {
        param,
      });
    }
    return { inlineData };
  }
  if (/^https?:\/\//i.test(url)) {
    // The route pre-fetches every URL collectRemoteMediaUrls returns, so a miss is a gateway bug.
    const media = ctx.remoteMedia.get(url);
    if (!media) throw new ApiError('invalid_image_url', 'The image URL could not be fetched.', { param });
    return { inlineData: { mimeType: media.mimeType, data: media.data } };
  }
  throw new ApiError('invalid_image_url', 'Image URLs must be http(s) or data: URLs.', { param });
}

function audioPart(audio: { data: string; format: string }, param: string): GeminiPart {
  const mimeType = AUDIO_MIME_TYPES[audio.format.toLowerCase()];
  if (!mimeType) {
    throw new ApiError(
      'invalid_request',
      `Unsupported input_audio format "${audio.format}": use wav or mp3.`,
      {
        param: `${param}.input_audio.format`,
      },
    );
  }
  const data = normaliseBase64(audio.data);
  if (data === undefined) {
    throw new ApiError('invalid_request', 'input_audio.data is not valid base64.', {
      param: `${param}.input_audio.data`,
    });
  }
  return { inlineData: { mimeType, data } };
}

function filePart(file: { file_data?: string; file_id?: string }, param: string): GeminiPart {
  if (file.file_data !== undefined) {
    const inlineData = parseDataUrl(file.file_data);
    if (!inlineData) {
      throw new ApiError('invalid_request', 'file.file_data must be a data:<mime>;base64,… URL.', {
        param: `${param}.file.file_data`,
      });
    }
    return { inlineData };
  }
  if (file.file_id !== undefined) {
    throw new ApiError(
      'unsupported_parameter',
      'Uploaded files (file_id) are not supported; send the file inline as file_data.',
      { param: `${param}.file.file_id` },
    );
  }
  throw new ApiError('invalid_request', 'A file part needs file_data.', { param: `${param}.file` });
}

function userPart(
  part: UserContentPart,
  param: string,
  ctx: ConvertMessagesContext,
  resubmit: boolean,
): GeminiPart | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'image_url':
      // `detail` has no Gemini equivalent worth mapping.
      return resubmit ? imagePart(part.image_url.url, param, ctx) : { text: OMITTED_IMAGE_MARKER };
    case 'input_audio':
      return audioPart(part.input_audio, param);
    case 'file':
      return filePart(part.file, param);
  }
}

function userParts(
  content: string | UserContentPart[],
  index: number,
  ctx: ConvertMessagesContext,
): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  const parts: GeminiPart[] = [];
  const resubmit = ctx.resubmitImagesOf?.(index) ?? true;
  content.forEach((part, j) => {
    const converted = userPart(part, `messages[${index}].content[${j}]`, ctx, resubmit);
    if (converted) parts.push(converted);
  });
  return parts;
}

function parseArguments(raw: string | undefined, param: string, index: number): Record<string, unknown> {
  // Clients send "" (or nothing) for calls without arguments.
  if (raw === undefined || raw.trim() === '') return {};
  let args: unknown;
  try {
    args = JSON.parse(raw);
  } catch {
    throw new ApiError('invalid_request', `messages[${index}]: tool call arguments are not valid JSON.`, {
      param,
    });
  }
  if (!isObject(args)) {
    throw new ApiError('invalid_request', `messages[${index}]: tool call arguments must be a JSON object.`, {
      param,
    });
  }
  // The body's depth guard cannot see inside this string; unbounded depth would overflow the stack
  // when the upstream body is serialised.
  if (exceedsJsonDepth(args)) {
    throw new ApiError(
      'invalid_request',
      `messages[${index}]: tool call arguments nest deeper than ${MAX_JSON_DEPTH} levels.`,
      { param },
    );
  }
  return args;
}

/** §4.2 step 4: Gemini wants an object; plain text goes under Google's recommended "output" key. */
function toResponseObject(content: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { output: content };
  }
  // Too deep to serialise safely (the body's depth guard cannot see inside strings): sent as text.
  if (exceedsJsonDepth(value)) return { output: content };
  return isObject(value) ? value : { result: value };
}

function mergeSameRole(turns: readonly Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const last = merged.at(-1);
    // Parts are appended as separate objects, so signed parts are never fused with others (§1.5.5).
    if (last?.role === turn.role) last.parts.push(...turn.parts);
    else merged.push({ role: turn.role, parts: [...turn.parts] });
  }
  return merged;
}

/**
 * Gemini refuses a function call turn that does not follow a user or function-response turn ("Please
 * ensure that function call turn comes immediately after a user turn or after a function response
 * turn"). A history trimmed to its last N messages (LobeChat, Chatbox, Cherry Studio limit context
 * that way) can begin with the assistant's tool call; a minimal user turn in front keeps it valid —
 * the same blank opener openai-gemini puts before a first content without text (§4.2 step 6).
 */
const startsWithFunctionCall = (turns: readonly Turn[]): boolean =>
  turns[0]?.role === 'model' && turns[0].parts.some((part) => part.functionCall !== undefined);
/** A fresh object each time: later steps may append to a turn's parts. */
const historyOpener = (): Turn => ({ role: 'user', parts: [{ text: ' ' }] });

class MessageConverter {
  private readonly systemParts: GeminiPart[] = [];
  private readonly turns: Turn[] = [];
  private readonly issuedCalls = new Map<string, IssuedCall>();
  private callCount = 0;
  /** Answers of a run of consecutive tool messages, flushed as one user turn in call order. */
  private pendingResults: { order: number; part: GeminiPart }[] = [];

  constructor(private readonly ctx: ConvertMessagesContext) {}

  add(message: ChatMessage, index: number): void {
    if (message.role !== 'tool') this.flushToolResults();
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of textsOf(message.content)) if (text !== '') this.systemParts.push({ text });
        return;
      case 'user':
        this.pushTurn('user', userParts(message.content, index, this.ctx));
        return;
      case 'assistant':
        this.pushTurn('model', this.assistantParts(message, index));
        return;
      case 'tool':
        this.addToolResult(message.tool_call_id, textsOf(message.content).join(''), index);
        return;
      case 'function':
        // Legacy function-calling history: answers carry the function name, there are no ids.
        this.pushTurn('user', [
          { functionResponse: { name: message.name, response: toResponseObject(message.content ?? '') } },
        ]);
        return;
    }
  }

  finish(): ConvertedMessages {
    this.flushToolResults();
    const contents = mergeSameRole(this.turns);
    if (this.ctx.enforcesThoughtSignatures) markUnsignedCurrentCalls(contents);
    if (startsWithFunctionCall(contents)) contents.unshift(historyOpener());
    if (contents.length === 0) {
      // Gemini rejects empty contents; a system-only conversation becomes the user's prompt (§4.2.6).
      if (this.systemParts.length === 0) {
        throw new ApiError('invalid_request', 'The messages contain no content to send.', {
          param: 'messages',
        });
      }
      return { contents: [{ role: 'user', parts: this.systemParts }] };
    }
    return this.systemParts.length === 0
      ? { contents }
      : { contents, systemInstruction: { parts: this.systemParts } };
  }

  private pushTurn(role: Turn['role'], parts: GeminiPart[]): void {
    if (parts.length > 0) this.turns.push({ role, parts });
  }

  private assistantParts(message: Extract<ChatMessage, { role: 'assistant' }>, index: number): GeminiPart[] {
    const { content } = message;
    const text =
      typeof content === 'string'
        ? content
        : (content ?? []).map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
    // reasoning_content is not sent back: thought parts are optional on input (§4.2.3).
    const parts = this.assistantTextParts(text, index);
    (message.tool_calls ?? []).forEach((call, k) => parts.push(this.functionCallPart(call, index, k)));
    return parts;
  }

  /**
   * Assistant text with the markdown images our replies contain: resubmitted images become
   * inlineData between the text around them; others, and links that could not be fetched (an old
   * reply's image may be long gone — not the client's fault), become the marker.
   */
  private assistantTextParts(text: string, index: number): GeminiPart[] {
    if (text === '') return [];
    const resubmit = this.ctx.resubmitImagesOf?.(index) ?? true;
    const parts: GeminiPart[] = [];
    let pending = '';
    for (const segment of splitMarkdownImages(text)) {
      if ('text' in segment) {
        pending += segment.text;
        continue;
      }
      const inlineData = resubmit ? this.historyImage(segment.imageUrl) : undefined;
      if (!inlineData) {
        pending += OMITTED_IMAGE_MARKER;
        continue;
      }
      if (pending.trim() !== '') parts.push({ text: pending });
      pending = '';
      parts.push({ inlineData });
    }
    if (pending.trim() !== '' || parts.length === 0) parts.push({ text: pending });
    return parts;
  }

  private historyImage(url: string): RemoteMedia | undefined {
    if (/^data:/i.test(url)) return parseDataUrl(url);
    const media = this.ctx.remoteMedia.get(url);
    return media && { mimeType: media.mimeType, data: media.data };
  }

  private functionCallPart(call: ToolCall, index: number, k: number): GeminiPart {
    const param = `messages[${index}].tool_calls[${k}].function.arguments`;
    const args = parseArguments(call.function.arguments, param, index);
    const record = this.ctx.lookupToolCall(call.id);
    const signature = call.extra_content?.google?.thought_signature ?? record?.signature;
    // Only Gemini's own ids go back upstream; our synthetic call_… ids mean nothing to it.
    const functionCall: GeminiFunctionCall =
      record?.geminiId === undefined
        ? { name: call.function.name, args }
        : { id: record.geminiId, name: call.function.name, args };
    this.issuedCalls.set(call.id, {
      name: call.function.name,
      ...(record?.geminiId === undefined ? {} : { geminiId: record.geminiId }),
      order: this.callCount++,
    });
    return signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature };
  }

  private addToolResult(toolCallId: string, content: string, index: number): void {
    const call = this.issuedCalls.get(toolCallId);
    if (!call) {
      throw new ApiError(
        'invalid_request',
        `messages[${index}]: tool_call_id "${toolCallId}" does not match a tool call of a preceding assistant message.`,
        { param: `messages[${index}].tool_call_id` },
      );
    }
    const response = toResponseObject(content);
    const functionResponse =
      call.geminiId === undefined
        ? { name: call.name, response }
        : { id: call.geminiId, name: call.name, response };
    this.pendingResults.push({ order: call.order, part: { functionResponse } });
  }

  private flushToolResults(): void {
    if (this.pendingResults.length === 0) return;
    const ordered = this.pendingResults.toSorted((a, b) => a.order - b.order);
    this.pushTurn(
      'user',
      ordered.map((result) => result.part),
    );
    this.pendingResults = [];
  }
}

export function convertMessages(
  messages: readonly ChatMessage[],
  ctx: ConvertMessagesContext,
): ConvertedMessages {
  const converter = new MessageConverter(ctx);
  messages.forEach((message, index) => converter.add(message, index));
  return converter.finish();
}
