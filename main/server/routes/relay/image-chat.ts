/**
 * Grok image models called through /xai/v1/chat/completions (issue "xAI relay"): the last user text
 * is drawn with `POST /v1/images/generations`, and the answer is a chat completion — streamed or
 * not, as asked — of the revised prompt and one markdown image per result. XAI_RESPONSE_FORMAT=url
 * links xAI's own (temporary) URLs; b64_json stores each image through the image library and links
 * ours. An image the store cannot take is returned inline, never lost. A caller with its own xAI key
 * gets every image inline: it needs no gateway credential, so it must not fill the owner's store
 * and gallery (nor evict the owner's images from them).
 *
 * A streamed reply sends keep-alive comments while xAI draws; until the first byte went out, an
 * error from xAI passes through with its status and body, after it the stream ends with an error event.
 * xAI's answer is read whole within MAX_XAI_IMAGES_ANSWER_BYTES (read-answer.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError, asApiError, toOpenAIError } from '../../errors';
import { newCompletionId } from '../../ids';
import { publicOrigin } from '../../images/public-origin';
import { dataUrlOf, saveAndLink } from '../../images/save-and-link';
import { imageChatChunks, imageChatCompletion, imageReplyContent } from '../../openai/image-chat-reply';
import { lastUserText } from '../../openai/last-user-text';
import {
  decodeGrokImage,
  imageCount,
  parseImagesAnswer,
  revisedPromptOf,
  type GrokImage,
  type ImagesRequest,
} from '../../providers/xai/grok-images';
import { gatewayJsonHeaders } from '../../providers/xai/relay-headers';
import { relayTarget } from '../../providers/xai/relay-target';
import { xaiNetworkError } from '../../providers/xai/xai-errors';
import type { XaiCredential } from '../../providers/xai/xai-keys';
import { SSE_DONE, sseData } from '../../sse/encode-sse';
import { SseResponse } from '../../sse/sse-response';
import { callXai, sendAnswer } from './pass-through';
import { readXaiAnswer } from './read-answer';

interface ImageContext {
  origin: string;
  model: string;
  prompt: string;
  /** Whether the images may go into the owner's store (not for a caller's own xAI key). */
  store: boolean;
}

/** The decoded image inline: a data URL of its bytes. */
const inlineOf = (image: { mimeType: string; bytes: Buffer }): string =>
  dataUrlOf({ mimeType: image.mimeType, data: image.bytes.toString('base64') });

async function linkOf(core: GatewayCore, image: GrokImage, ctx: ImageContext): Promise<string | undefined> {
  const decoded = decodeGrokImage(image);
  if (!decoded) return image.url;
  if (!ctx.store) return inlineOf(decoded);
  const link = await saveAndLink(
    core,
    decoded,
    { source: 'xai', model: ctx.model, prompt: ctx.prompt },
    ctx.origin,
    'a Grok image',
  );
  return link ?? inlineOf(decoded);
}

/** xAI's `{code, error}` message (wire-format §5.6), or the start of whatever it sent. */
function upstreamMessage(status: number, text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: quoted below
  }
  return `xAI answered HTTP ${status}: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`;
}

const statusError = (status: number, text: string): ApiError =>
  new ApiError(
    status === 429 ? 'rate_limit_exceeded' : 'upstream_bad_response',
    upstreamMessage(status, text),
    {
      status,
    },
  );

export async function relayImageChat(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  chat: Record<string, unknown>,
  credential: XaiCredential,
  signal: AbortSignal,
): Promise<FastifyReply> {
  const settings = core.settings.get();
  const model = String(chat['model']);
  const prompt = lastUserText(chat['messages']);
  if (prompt === undefined) {
    throw new ApiError('invalid_request', `${model} draws the last user message, and it has no text.`, {
      param: 'messages',
    });
  }
  const target = relayTarget('/xai/v1/images/generations', settings.xaiBaseUrl);
  if (!target.ok) throw new ApiError('internal_error', target.reason);
  const body: ImagesRequest = {
    model,
    prompt,
    n: imageCount(chat['n']),
    response_format: settings.xaiResponseFormat,
  };

  const includeUsage =
    (chat['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
  const out =
    chat['stream'] === true ? new SseResponse(reply, settings.streamKeepaliveSeconds * 1000) : undefined;
  out?.armKeepAlive();
  /** Before the first byte: a normal error reply. After it: an error event ends the stream. */
  const fail = (error: ApiError): FastifyReply => {
    out?.dispose();
    if (!out?.committed) throw error;
    request.gemgate.errorCode = error.code;
    out.end(sseData(toOpenAIError(error)) + SSE_DONE);
    return reply;
  };

  let status: number;
  let text: string;
  try {
    const answer = await callXai(core, request, {
      url: target.url,
      credential,
      signal,
      body: Buffer.from(JSON.stringify(body)),
      model,
      method: 'POST',
      headers: gatewayJsonHeaders,
    });
    status = answer.response.statusCode;
    if (status !== 200 && !out?.committed) {
      out?.dispose();
      return sendAnswer(reply, answer);
    }
    text = (await readXaiAnswer(answer, signal)).toString('utf8');
  } catch (err) {
    return fail(err instanceof ApiError ? err : xaiNetworkError(err, signal));
  }
  if (status !== 200) return fail(statusError(status, text));

  const images = parseImagesAnswer(text);
  if (!images || images.length === 0) {
    return fail(new ApiError('upstream_bad_response', 'xAI answered the image request without any image.'));
  }
  let content: string;
  try {
    const ctx = {
      origin: publicOrigin(request, settings.hostUrl),
      model,
      prompt,
      store: credential.kind === 'pooled',
    };
    const links = await Promise.all(images.map((image) => linkOf(core, image, ctx)));
    content = imageReplyContent(
      revisedPromptOf(images),
      links.filter((url): url is string => url !== undefined),
    );
  } catch (err) {
    return fail(asApiError(err));
  }

  const meta = { id: newCompletionId(), created: Math.floor(core.now() / 1000), model };
  if (!out) return reply.send(imageChatCompletion(meta, content));
  for (const chunk of imageChatChunks(meta, content, includeUsage)) await out.write(sseData(chunk));
  out.end(SSE_DONE);
  return reply;
}
