/** POST /v1/chat/completions — OpenAI chat over Gemini, streamed or not. */
import type { FastifyInstance } from 'fastify';
import { completeChat } from '../../chat/complete-chat';
import { parseChatRequest, prepareChat } from '../../chat/prepare-chat';
import { streamChat } from '../../chat/stream-chat';
import type { GatewayCore } from '../../core';
import { publicOrigin } from '../../images/public-origin';
import { clientAbortSignal } from '../../request-state';

export function registerChatCompletions(app: FastifyInstance, core: GatewayCore): void {
  app.post('/v1/chat/completions', async (request, reply) => {
    const state = request.gemgate;
    const signal = clientAbortSignal(reply);
    const chat = parseChatRequest(request.body);
    state.model = chat.model;
    state.stream = chat.stream === true;
    const prepared = await prepareChat(
      core,
      chat,
      publicOrigin(request, core.settings.get().hostUrl),
      signal,
    );
    if (prepared.stream) {
      await streamChat(core, prepared, reply, signal, state);
      return reply;
    }
    return completeChat(core, prepared, signal, state);
  });
}
