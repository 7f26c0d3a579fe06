/**
 * Imagen models picked in a chat (`POST /v1/chat/completions` with `imagen-*`, which /v1/models
 * lists): Imagen serves no generateContent, only `:predict` (wire-format §1.9), so the chat is drawn
 * as an images-API job (images-api/generate-images.ts: one `:predict` for all `n` images, the key
 * pool and failover, nothing drawn → 400) and answered with a chat completion, streamed or not as
 * asked: one markdown image per result (the same reply as Grok images on the xAI relay), also in
 * `message.images` / `delta.images` like Gemini image models' answers. The images are saved as chat
 * images (same store and gallery; links on HOST_URL or the request's origin, inline if the store
 * fails).
 *
 * The prompt is the text of the last user message; `n` (1..4) and `image_config.aspect_ratio` (the
 * nearest ratio Imagen has) shape the drawing. Everything else in the chat request is not Imagen's
 * to use and is ignored.
 */
import type { FastifyReply } from 'fastify';
import type { GatewayCore } from '../core';
import { ApiError, asApiError, toOpenAIError } from '../errors';
import { newCompletionId } from '../ids';
import { generateImages } from '../images-api/generate-images';
import { MAX_IMAGEN_IMAGES, type ImageJob } from '../images-api/parse-image-request';
import { imagenRatioOf } from '../images-api/size-to-aspect';
import { mentionsToken, type LargeDataUrls } from '../large-data-urls';
import type { ChatCompletionRequest } from '../openai/chat-request';
import type { ChatCompletion, OutImage } from '../openai/chat-response';
import { imageChatChunks, imageChatCompletion, imageReplyContent } from '../openai/image-chat-reply';
import { lastUserText } from '../openai/last-user-text';
import { imageConfigOf } from '../providers/gemini/convert-generation-config';
import { resolveModel } from '../providers/gemini/resolve-model';
import type { RequestState } from '../request-state';
import { SSE_DONE, sseData } from '../sse/encode-sse';
import { SseResponse } from '../sse/sse-response';
import { createImageLinks } from './generated-images';

export interface ImagenChatContext {
  /** Origin absolute image links are built on (HOST_URL or the request's). */
  origin: string;
  reply: FastifyReply;
  signal: AbortSignal;
  state: RequestState;
  /** Data URLs cut out of the body (large-data-urls.ts), should one stand in the prompt's text. */
  large: LargeDataUrls | undefined;
}

/**
 * The Imagen id a chat's model names, or undefined for any other model. Read like the images API
 * reads it (resolve-model.ts): a `models/` prefix or a thinking suffix does not hide it, and the
 * suffix means nothing to Imagen.
 */
export function imagenModelOf(model: string): string | undefined {
  // Every chat request asks: the name is resolved only when it can be Imagen's at all.
  if (!/imagen/i.test(model)) return undefined;
  const { upstream } = resolveModel(model);
  return /^imagen/i.test(upstream) ? upstream : undefined;
}

function promptOf(chat: ChatCompletionRequest, large: LargeDataUrls | undefined): string {
  let prompt = lastUserText(chat.messages);
  // A data URL sent as text was cut out and a token stands in its place: read the body as sent.
  if (prompt !== undefined && large && mentionsToken(prompt)) {
    prompt = lastUserText((large.parseInFull() as { messages?: unknown }).messages);
  }
  if (prompt === undefined) {
    throw new ApiError(
      'invalid_request',
      `${chat.model} draws the text of the last user message, and there is none: send the picture's ` +
        'description as a user message.',
      { param: 'messages' },
    );
  }
  return prompt;
}

function imagenJob(chat: ChatCompletionRequest, upstream: string, prompt: string): ImageJob {
  const n = chat.n ?? 1;
  if (n > MAX_IMAGEN_IMAGES) {
    throw new ApiError('invalid_request', `Imagen draws at most ${MAX_IMAGEN_IMAGES} images per request.`, {
      param: 'n',
    });
  }
  const asked = imageConfigOf(chat)?.aspectRatio;
  const ratio = imagenRatioOf(asked);
  if (!ratio.ok) {
    throw new ApiError(
      'invalid_request',
      `Unsupported image_config.aspect_ratio "${asked ?? ''}": use a ratio such as 1:1, 3:4, 4:3, ` +
        '9:16 or 16:9 (Imagen draws only these; any other W:H gets the nearest of them).',
      { param: 'image_config.aspect_ratio' },
    );
  }
  return {
    model: chat.model,
    upstream,
    backend: 'imagen',
    prompt,
    n,
    ...(ratio.aspectRatio !== undefined ? { aspectRatio: ratio.aspectRatio } : {}),
    responseFormat: 'url',
    images: [],
  };
}

/** Draws and answers; a streamed answer is written to `ctx.reply` (returned), a whole one returned. */
export async function imagenChat(
  core: GatewayCore,
  chat: ChatCompletionRequest,
  upstream: string,
  ctx: ImagenChatContext,
): Promise<ChatCompletion | FastifyReply> {
  const prompt = promptOf(chat, ctx.large);
  const job = imagenJob(chat, upstream, prompt);
  const out =
    chat.stream === true
      ? new SseResponse(ctx.reply, core.settings.get().streamKeepaliveSeconds * 1000)
      : undefined;
  // Imagen answers only once every image is drawn: keep-alives hold the stream open meanwhile.
  out?.armKeepAlive();

  let content: string;
  let images: OutImage[];
  try {
    const generation = await generateImages(core, job, ctx.signal, ctx.state);
    const links = createImageLinks(core, { origin: ctx.origin, model: chat.model, prompt });
    await links.saveAll(generation.images);
    const urls = generation.images.map((image) => links.urlOf(image));
    content = imageReplyContent(undefined, urls);
    images = urls.map((url) => ({ type: 'image_url', image_url: { url } }));
  } catch (err) {
    out?.dispose();
    // Nothing sent yet: the route answers with a normal JSON error and its status.
    if (!out?.committed) throw err;
    const error = asApiError(err);
    ctx.state.errorCode = error.code;
    out.end(sseData(toOpenAIError(error)) + SSE_DONE);
    return ctx.reply;
  }

  const meta = { id: newCompletionId(), created: Math.floor(core.now() / 1000), model: chat.model };
  if (!out) return imageChatCompletion(meta, content, images);
  const includeUsage = chat.stream_options?.include_usage === true;
  for (const chunk of imageChatChunks(meta, content, includeUsage, images)) await out.write(sseData(chunk));
  out.end(SSE_DONE);
  return ctx.reply;
}
