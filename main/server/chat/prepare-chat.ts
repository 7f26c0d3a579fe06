/**
 * Steps 2–4 of the request path (DESIGN §4): validate the OpenAI body, resolve the model and its
 * thinking suffix, fetch remote images through the SSRF guard, and convert to Gemini's body.
 */
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { fetchRemoteImage } from '../net/fetch-remote-image';
import { chatCompletionRequest, type ChatCompletionRequest } from '../openai/chat-request';
import { parseBody } from '../openai/parse-request';
import {
  collectRemoteMediaUrls,
  toGeminiRequest,
  type RemoteMedia,
} from '../providers/gemini/convert-request';
import { resolveModel, type ResolvedModel } from '../providers/gemini/resolve-model';

/** More remote images than this in one request is abuse, not a conversation. */
const MAX_REMOTE_IMAGES = 16;

export interface PreparedChat {
  request: ChatCompletionRequest;
  model: ResolvedModel;
  /** The Gemini request, serialised once. */
  body: string;
  stream: boolean;
  includeUsage: boolean;
}

export const parseChatRequest = (body: unknown): ChatCompletionRequest =>
  parseBody(chatCompletionRequest, body);

async function fetchRemoteMedia(
  core: GatewayCore,
  urls: string[],
  signal: AbortSignal,
): Promise<Map<string, RemoteMedia>> {
  if (urls.length > MAX_REMOTE_IMAGES) {
    throw new ApiError(
      'invalid_request',
      `At most ${MAX_REMOTE_IMAGES} image URLs per request are fetched.`,
      {
        param: 'messages',
      },
    );
  }
  const s = core.settings.get();
  const options = {
    allowedHosts: s.remoteFetchAllowedHosts,
    maxBytes: Math.round(s.remoteImageMaxMb * 1024 * 1024),
    timeoutMs: s.remoteFetchTimeoutSeconds * 1000,
    ...(core.remoteLookup ? { lookup: core.remoteLookup } : {}),
  };
  const fetched = await Promise.all(urls.map((url) => fetchRemoteImage(url, options, signal)));
  return new Map(urls.map((url, i) => [url, fetched[i]!]));
}

export async function prepareChat(
  core: GatewayCore,
  request: ChatCompletionRequest,
  signal: AbortSignal,
): Promise<PreparedChat> {
  const model = resolveModel(request.model);
  const urls = collectRemoteMediaUrls(request);
  const remoteMedia =
    urls.length > 0 ? await fetchRemoteMedia(core, urls, signal) : new Map<string, RemoteMedia>();
  const listedModel = core.models.cached(model.upstream);
  const gemini = toGeminiRequest(request, model, {
    includeThoughts: core.settings.get().includeThoughts,
    remoteMedia,
    lookupToolCall: (id) => core.toolCalls.lookup(id),
    ...(listedModel ? { listedModel } : {}),
  });
  return {
    request,
    model,
    body: JSON.stringify(gemini),
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
  };
}
