/**
 * The Gemini-native surface (issue part 2, wire-format §1.2) at `/v1beta` and `/gemini/v1beta`, so
 * @google/genai, Cherry Studio's Gemini provider or LangChain can use the key pool:
 *   GET  models                      the cached catalogue, paged like Google pages it
 *   GET  models/{model}              from the catalogue, else relayed (Google's 404 included)
 *   POST models/{model}:{action}     generateContent, streamGenerateContent, countTokens,
 *                                    embedContent, batchEmbedContents — relayed
 * Access control (x-goog-api-key, ?key= or Bearer) ran before any of this; errors are Gemini-shaped.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { stripModelsPrefix } from '../../providers/gemini/model-catalog';
import { pageOfModels } from '../../providers/gemini/native-models-page';
import { forwardedQuery, nativeModelId, parseModelAction } from '../../providers/gemini/native-path';
import { clientAbortSignal } from '../../request-state';
import { relayUnary, type NativeCall } from './relay';
import { relayStream } from './relay-stream';

export const NATIVE_PREFIXES = ['', '/gemini'] as const;

async function listModels(core: GatewayCore, request: FastifyRequest) {
  return pageOfModels(await core.models.list(), forwardedQuery(request.url));
}

async function getModel(
  core: GatewayCore,
  request: FastifyRequest<{ Params: { name: string } }>,
  reply: FastifyReply,
) {
  const name = request.params.name;
  if (name === '') return listModels(core, request); // `/models/` is the collection too
  if (name.includes(':')) {
    throw new ApiError('not_found', `Methods are called with POST: POST /v1beta/models/${name}.`);
  }
  const id = nativeModelId(name);
  request.gemgate.model = id;
  // A failed list is no answer for one model: Google itself is asked then.
  const listed = (await core.models.list().catch(() => [])).find((m) => stripModelsPrefix(m.name) === id);
  if (listed) return listed;
  const call: NativeCall = { method: 'GET', path: `models/${id}`, query: forwardedQuery(request.url) };
  return relayUnary(core, request, reply, call, clientAbortSignal(reply));
}

async function callModel(
  core: GatewayCore,
  request: FastifyRequest<{ Params: { name: string } }>,
  reply: FastifyReply,
) {
  const { model, action } = parseModelAction(request.params.name);
  const state = request.gemgate;
  state.model = model;
  state.stream = action === 'streamGenerateContent';
  const body = request.body;
  const call: NativeCall = {
    method: 'POST',
    path: `models/${model}:${action}`,
    query: forwardedQuery(request.url),
    ...(Buffer.isBuffer(body) ? { body } : {}),
  };
  const signal = clientAbortSignal(reply);
  return state.stream
    ? relayStream(core, request, reply, call, signal)
    : relayUnary(core, request, reply, call, signal);
}

function nativeRoutes(scope: FastifyInstance, core: GatewayCore): void {
  // Bodies are relayed as sent, whatever fields they use: kept as bytes, never parsed or re-serialised.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  scope.get('/v1beta/models', (request) => listModels(core, request));
  scope.get<{ Params: { name: string } }>('/v1beta/models/:name', (request, reply) =>
    getModel(core, request, reply),
  );
  scope.post<{ Params: { name: string } }>('/v1beta/models/:name', (request, reply) =>
    callModel(core, request, reply),
  );
}

export async function registerGeminiNative(app: FastifyInstance, core: GatewayCore): Promise<void> {
  for (const prefix of NATIVE_PREFIXES) {
    await app.register(async (scope) => nativeRoutes(scope, core), { prefix });
  }
}
