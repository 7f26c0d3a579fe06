/** POST /v1/chat/completions — OpenAI chat over Gemini, streamed or not; Imagen models draw instead. */
import type { FastifyInstance } from 'fastify';
import { completeChat } from '../../chat/complete-chat';
import { imagenChat, imagenModelOf } from '../../chat/imagen-chat';
import { parseChatRequest, prepareChat, TokenOutsideInlineData } from '../../chat/prepare-chat';
import { streamChat } from '../../chat/stream-chat';
import type { GatewayCore } from '../../core';
import { publicOrigin } from '../../images/public-origin';
import { largeDataUrlsOf } from '../../large-data-urls';
import { clientAbortSignal } from '../../request-state';

export function registerChatCompletions(app: FastifyInstance, core: GatewayCore): void {
  // Large data URLs are cut out of the raw body before parsing (large-data-urls.ts).
  app.post('/v1/chat/completions', { config: { largeDataUrls: true } }, async (request, reply) => {
    const state = request.gemgate;
    const signal = clientAbortSignal(reply);
    const chat = parseChatRequest(request.body);
    state.model = chat.model;
    state.stream = chat.stream === true;
    const origin = publicOrigin(request, core.settings.get().hostUrl);
    const large = largeDataUrlsOf(request.body);
    // Imagen serves only :predict, never generateContent (chat/imagen-chat.ts).
    const imagen = imagenModelOf(chat.model);
    if (imagen !== undefined) return imagenChat(core, chat, imagen, { origin, reply, signal, state, large });
    const caller = { signal, owner: state.access === 'password' || state.access === 'auth_command' };
    const prepared = await prepareChat(core, chat, origin, caller, large?.payloads).catch((err: unknown) => {
      // A token outside inline data (a data URL sent as text): parse the body as sent and start again.
      if (!(err instanceof TokenOutsideInlineData) || !large) throw err;
      return prepareChat(core, parseChatRequest(large.parseInFull()), origin, caller);
    });
    if (prepared.stream) {
      await streamChat(core, prepared, reply, signal, state);
      return reply;
    }
    return completeChat(core, prepared, signal, state);
  });
}
