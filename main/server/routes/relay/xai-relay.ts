/**
 * /xai/v1/* → XAI_BASE_URL (issue "xAI relay"). Access control has already run (access-control.ts:
 * deny list, then the /xai/ credential rules), then the rate limits; here the request target is
 * checked (relay-target.ts), the key chosen (xai-credential.ts) and the request relayed. A chat
 * request for a Grok image model is answered from `/v1/images/generations` instead (image-chat.ts).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { isGrokImageModel } from '../../providers/xai/grok-images';
import { relayTarget } from '../../providers/xai/relay-target';
import { clientAbortSignal } from '../../request-state';
import { relayImageChat } from './image-chat';
import { passThrough } from './pass-through';
import { readBody } from './read-body';
import { xaiCredentialOf } from './xai-credential';

/** HEAD comes with GET; OPTIONS is the CORS preflight, which the gateway answers itself. */
const RELAYED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const parseObject = (raw: Buffer): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // not JSON: relayed as is, xAI says what is wrong with it
  }
};

async function relay(core: GatewayCore, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const settings = core.settings.get();
  const target = relayTarget(request.url, settings.xaiBaseUrl);
  if (!target.ok) throw new ApiError(target.status === 404 ? 'not_found' : 'invalid_request', target.reason);
  const credential = xaiCredentialOf(core, request);
  const signal = clientAbortSignal(reply);
  const body = request.body instanceof Readable ? request.body : undefined;
  if (request.method !== 'POST' || target.path !== '/v1/chat/completions') {
    return passThrough(core, request, reply, { url: target.url, credential, signal, body });
  }

  // A chat request is read first — its model decides between the relay and the image path — and
  // then relayed byte for byte from memory (which also lets a 429 move on to the next pooled key).
  const length = request.headers['content-length'];
  const raw = await readBody(body, typeof length === 'string' ? length : undefined, settings.maxBodyMb);
  const chat = parseObject(raw);
  const state = request.gemgate;
  if (typeof chat?.['model'] === 'string') state.model = chat['model'];
  if (chat) state.stream = chat['stream'] === true;
  if (chat && isGrokImageModel(chat['model'])) {
    return relayImageChat(core, request, reply, chat, credential, signal);
  }
  return passThrough(core, request, reply, { url: target.url, credential, signal, body: raw });
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
