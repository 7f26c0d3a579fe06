/**
 * /xai/v1/* → XAI_BASE_URL (issue "xAI relay"). Access control has already run (access-control.ts:
 * deny list, then the /xai/ credential rules), then the rate limits; here the request target is
 * checked (relay-target.ts), the key chosen (xai-credential.ts) and the request relayed. A chat
 * request for a Grok image model is answered from `/v1/images/generations` instead (image-chat.ts);
 * `/v1/images/generations` itself is answered in OpenAI's shape (image-generations.ts).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { parseJsonObject } from '../../parse-json';
import { isGrokImageModel } from '../../providers/xai/grok-images';
import { relayTarget } from '../../providers/xai/relay-target';
import { clientAbortSignal } from '../../request-state';
import { relayImageChat } from './image-chat';
import { relayImageGenerations } from './image-generations';
import { passThrough } from './pass-through';
import { readBody } from './read-body';
import { xaiCredentialOf } from './xai-credential';

/** HEAD comes with GET; OPTIONS is the CORS preflight, which the gateway answers itself. */
const RELAYED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const CHAT = '/v1/chat/completions';
const IMAGE_GENERATIONS = '/v1/images/generations';

async function relay(core: GatewayCore, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const settings = core.settings.get();
  const target = relayTarget(request.url, settings.xaiBaseUrl);
  if (!target.ok) throw new ApiError(target.status === 404 ? 'not_found' : 'invalid_request', target.reason);
  const credential = xaiCredentialOf(core, request);
  const signal = clientAbortSignal(reply);
  const body = request.body instanceof Readable ? request.body : undefined;
  if (request.method !== 'POST' || (target.path !== CHAT && target.path !== IMAGE_GENERATIONS)) {
    return passThrough(core, request, reply, { url: target.url, credential, signal, body });
  }

  // These bodies are read first — the gateway looks into them — and then sent from memory (which
  // also lets a 429 or 403 move on to the next pooled key).
  const length = request.headers['content-length'];
  const raw = await readBody(body, typeof length === 'string' ? length : undefined, settings.maxBodyMb);
  if (target.path === IMAGE_GENERATIONS) {
    return relayImageGenerations(core, request, reply, { url: target.url, credential, signal, body: raw });
  }
  // A chat request's model decides between the relay (byte for byte) and the image path.
  // Not JSON: relayed as is, xAI says what is wrong with it.
  const chat = parseJsonObject(raw.toString('utf8'));
  const state = request.gemgate;
  const model = typeof chat?.['model'] === 'string' ? chat['model'] : undefined;
  if (model !== undefined) state.model = model;
  if (chat) state.stream = chat['stream'] === true;
  if (chat && isGrokImageModel(model)) {
    return relayImageChat(core, request, reply, chat, credential, signal);
  }
  return passThrough(core, request, reply, { url: target.url, credential, signal, body: raw, model });
}

export async function registerXaiRelay(app: FastifyInstance, core: GatewayCore): Promise<void> {
  await app.register(async (scope) => {
    // No parser reads the body: it is streamed to xAI as it arrives (the chat path reads its own).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: RELAYED_METHODS,
      url: '/xai/*',
      handler: (request, reply) => relay(core, request, reply),
    });
  });
}
