/**
 * Steps 2–4 of the request path (DESIGN §4): validate the OpenAI body, resolve the model and its
 * thinking suffix, gather the history images that go back to Gemini, and convert to Gemini's body.
 */
import type { GatewayCore } from '../core';
import { mentionsToken } from '../large-data-urls';
import { chatCompletionRequest, type ChatCompletionRequest } from '../openai/chat-request';
import { parseBody } from '../openai/parse-request';
import { toGeminiRequest, type RemoteMedia } from '../providers/gemini/convert-request';
import { resubmittedRemoteRefs } from '../providers/gemini/history-images';
import {
  serializeGeminiRequest,
  type CutPayloads,
  type RequestBody,
} from '../providers/gemini/serialize-request';
import { resolveModel, type ResolvedModel } from '../providers/gemini/resolve-model';
import { capabilitiesOf } from '../providers/gemini/model-capabilities';
import { replaysSignatures, withoutReplayedSignatures } from '../providers/gemini/replayed-signatures';
import { fetchHistoryMedia, type MediaCaller } from './history-media';

export interface PreparedChat {
  request: ChatCompletionRequest;
  model: ResolvedModel;
  /** Origin for absolute image links (HOST_URL or the request's own). */
  origin: string;
  /** The last user text, recorded with generated images for the gallery. */
  prompt: string | undefined;
  /** The Gemini request, serialised once (large images as separate pieces). */
  body: RequestBody;
  /**
   * The same request without the thought signatures replayed from history, serialised on demand;
   * undefined when it replays none (chat/signature-fallback.ts).
   */
  withoutSignatures: (() => RequestBody) | undefined;
  stream: boolean;
  includeUsage: boolean;
}

export const parseChatRequest = (body: unknown): ChatCompletionRequest =>
  parseBody(chatCompletionRequest, body);

/** The text of the last user message: what a generated image is filed under in the gallery. */
const lastUserText = (request: ChatCompletionRequest): string | undefined => {
  const message = request.messages.findLast((m) => m.role === 'user');
  if (!message) return undefined;
  if (typeof message.content === 'string') return message.content;
  const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(' ');
  return text || undefined;
};

/**
 * A payload cut out of the raw body (large-data-urls.ts) whose token did not end up in an inline-data
 * field — a data URL sent as plain text, say. The body must then be parsed in full and prepared again.
 */
export class TokenOutsideInlineData extends Error {}

const anyPieceMentionsToken = (body: RequestBody): boolean =>
  typeof body === 'string'
    ? mentionsToken(body)
    : body.some((piece) => typeof piece === 'string' && mentionsToken(piece));

export async function prepareChat(
  core: GatewayCore,
  request: ChatCompletionRequest,
  origin: string,
  caller: MediaCaller,
  cut?: CutPayloads,
): Promise<PreparedChat> {
  const model = resolveModel(request.model);
  const settings = core.settings.get();
  const refs = resubmittedRemoteRefs(request.messages, settings.historyImageSubmitType);
  const remoteMedia =
    refs.length > 0 ? await fetchHistoryMedia(core, refs, caller) : new Map<string, RemoteMedia>();
  const listedModel = core.models.cached(model.upstream);
  const gemini = toGeminiRequest(request, model, {
    includeThoughts: settings.includeThoughts,
    historyImages: settings.historyImageSubmitType,
    remoteMedia,
    lookupToolCall: (id) => core.toolCalls.lookup(id),
    ...(listedModel ? { listedModel } : {}),
  });
  const body = serializeGeminiRequest(gemini, cut);
  if (cut && anyPieceMentionsToken(body)) throw new TokenOutsideInlineData();
  const enforced = () => capabilitiesOf(model.upstream, listedModel).enforcesThoughtSignatures;
  const withoutSignatures = replaysSignatures(gemini.contents)
    ? () => serializeGeminiRequest(withoutReplayedSignatures(gemini, enforced()), cut)
    : undefined;
  return {
    request,
    model,
    origin,
    prompt: lastUserText(request),
    body,
    withoutSignatures,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
  };
}
