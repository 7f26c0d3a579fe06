/**
 * A validated OpenAI chat-completions request → the Gemini generateContent body (wire-format §4).
 * Pure: the route resolves the model, pre-fetches remote images and supplies the tool-call lookup.
 */
import type { ChatCompletionRequest, GoogleExtras } from '../../openai/chat-request';
import { convertMessages } from './convert-messages';
import type { RemoteMedia, ToolCallRecord } from './convert-messages';
import { toGenerationConfig } from './convert-generation-config';
import { convertTools } from './convert-tools';
import type { GeminiGenerateContentRequest, GeminiModel, GeminiSafetySetting } from './gemini-types';
import { resubmittedMessages, type HistoryImageMode } from './history-images';
import { withJsonModeBesideFunctions } from './json-mode-beside-functions';
import { capabilitiesOf } from './model-capabilities';
import { placeSystemInstruction } from './system-instruction-fallback';
import type { ResolvedModel } from './resolve-model';

export type { RemoteMedia, ToolCallRecord } from './convert-messages';

export interface ConvertRequestContext {
  /** Ask Gemini for thought summaries (emitted as `reasoning_content`). */
  includeThoughts: boolean;
  /** Remote image URL → fetched bytes, for every URL of collectRemoteMediaUrls. */
  remoteMedia: ReadonlyMap<string, RemoteMedia>;
  /** Signature and Gemini id of a tool call Gemgate emitted earlier (§4.6.4). */
  lookupToolCall: (toolCallId: string) => ToolCallRecord | undefined;
  /** The upstream's listing of the model, when known (lets an unknown model count as thinking). */
  listedModel?: GeminiModel;
  /** HISTORY_IMAGE_SUBMIT_TYPE; default `all`. */
  historyImages?: HistoryImageMode;
}

/**
 * A gateway exists to pass the client's content through, so filters default to off (§1.4.5, the
 * gemini-balance defaults); civic integrity is deprecated and takes BLOCK_NONE rather than OFF.
 */
export const DEFAULT_SAFETY_SETTINGS: readonly GeminiSafetySetting[] = [
  { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_CIVIC_INTEGRITY', threshold: 'BLOCK_NONE' },
];

const REMOTE_URL = /^https?:\/\//i;

/** Distinct http(s) image URLs in message order: the route fetches them through the SSRF guard. */
export function collectRemoteMediaUrls(req: ChatCompletionRequest): string[] {
  const urls = new Set<string>();
  for (const message of req.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type === 'image_url' && REMOTE_URL.test(part.image_url.url)) urls.add(part.image_url.url);
    }
  }
  return [...urls];
}

/** Google's extras; the Python SDK flattens `extra_body`, so they may also arrive top-level. */
const googleExtrasOf = (req: ChatCompletionRequest): Partial<GoogleExtras> =>
  req.extra_body?.google ?? req.google ?? {};

export function toGeminiRequest(
  req: ChatCompletionRequest,
  model: ResolvedModel,
  ctx: ConvertRequestContext,
): GeminiGenerateContentRequest {
  const caps = capabilitiesOf(model.upstream, ctx.listedModel);
  const extras = googleExtrasOf(req);

  const { contents, systemInstruction } = convertMessages(req.messages, {
    remoteMedia: ctx.remoteMedia,
    lookupToolCall: ctx.lookupToolCall,
    enforcesThoughtSignatures: caps.enforcesThoughtSignatures,
    resubmitImagesOf: resubmittedMessages(req.messages, ctx.historyImages ?? 'all'),
  });
  const { tools, toolConfig } = convertTools(req.tools, req.tool_choice);
  const generationConfig = toGenerationConfig(req, {
    caps,
    suffix: model.suffix,
    extraThinking: extras.thinking_config ?? extras.thinkingConfig,
    includeThoughts: ctx.includeThoughts,
    ...(ctx.listedModel?.outputTokenLimit !== undefined
      ? { outputTokenLimit: ctx.listedModel.outputTokenLimit }
      : {}),
  });
  const cachedContent = extras.cached_content ?? extras.cachedContent;

  const body: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  if (tools) body.tools = tools;
  if (toolConfig) body.toolConfig = toolConfig;
  body.safetySettings = [...(extras.safety_settings ?? extras.safetySettings ?? DEFAULT_SAFETY_SETTINGS)];
  if (generationConfig) body.generationConfig = generationConfig;
  if (cachedContent !== undefined) body.cachedContent = cachedContent;
  // Both may need the system instruction: JSON mode can become one, and then it must go where the
  // model takes it.
  return placeSystemInstruction(withJsonModeBesideFunctions(body, caps.jsonModeBesideFunctions), caps);
}
