/**
 * The Gemini-native surface (issue part 2, wire-format §1.2) at `/v1beta` and `/gemini/v1beta`, so
 * @google/genai, Cherry Studio's Gemini provider or LangChain can use the key pool:
 *   GET  models                      the cached catalogue, paged like Google pages it
 *   GET  models/{model}              from the catalogue, else relayed (Google's 404 included)
 *   POST models/{model}:{action}     generateContent, streamGenerateContent, countTokens,
 *                                    embedContent, batchEmbedContents — relayed
 * POST /v1/models/{model}:{action} is relayed the same way (to /v1beta upstream): @google/genai 3.x
 * defaults to apiVersion v1 (platform-notes §9). GET /v1/models… is OpenAI's list, except for a
 * caller with Google's credential and no Bearer token (api-dialect.ts); /gemini/v1/… is Google's.
 * The Files API (files, upload/…/files) is out of scope (wire-format §1.2): a Gemini-shaped 404 that
 * says so, instead of an "unknown route" the SDK user cannot act on.
 * Access control (x-goog-api-key, ?key= or Bearer) ran before any of this (access/api-dialect.ts
 * says which paths are Google's); errors are Gemini-shaped.
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

/** Google's model list, paged like Google pages it (also GET /v1/models for Google's v1: routes/v1/models.ts). */
export async function listNativeModels(core: GatewayCore, request: FastifyRequest) {
  return pageOfModels(await core.models.list(), forwardedQuery(request.url));
}

/** One model in Google's shape: from the catalogue, else relayed (Google's 404 included). */
export async function getNativeModel(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
) {
  if (name === '') return listNativeModels(core, request); // `/models/` is the collection too
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

const filesNotRelayed = () =>
  new ApiError(
    'not_found',
    'The Files API is not relayed by this gateway. Send the file as inline data instead (an inlineData part with the base64 bytes and its mimeType).',
  );

/** Every method but OPTIONS, which stays the CORS preflight's. */
const FILES_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const FILES_PATHS = ['/v1beta/files', '/v1beta/files/*', '/upload/v1beta/files', '/upload/v1beta/files/*'];

function nativeRoutes(scope: FastifyInstance, core: GatewayCore, prefix: string): void {
  // Bodies are relayed as sent, whatever fields they use: kept as bytes, never parsed or re-serialised.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Google's v1 reads too, where no OpenAI route has the path: under /gemini. GET /v1/models itself
  // answers in Google's shape to Google's credentials (routes/v1/models.ts, access/api-dialect.ts).
  for (const version of prefix === '' ? ['v1beta'] : ['v1beta', 'v1']) {
    scope.get(`/${version}/models`, (request) => listNativeModels(core, request));
    scope.get<{ Params: { name: string } }>(`/${version}/models/:name`, (request, reply) =>
      getNativeModel(core, request, reply, request.params.name),
    );
  }
  for (const version of ['v1beta', 'v1']) {
    scope.post<{ Params: { name: string } }>(`/${version}/models/:name`, (request, reply) =>
      callModel(core, request, reply),
    );
  }
  for (const url of FILES_PATHS) {
    scope.route({
      method: [...FILES_METHODS],
      url,
      // Refused before the body is read: an upload may be as large as MAX_BODY_MB allows. Access
      // control (a global onRequest hook) has run already, so only callers with a credential learn this.
      onRequest: (_request, _reply, done) => done(filesNotRelayed()),
      handler: () => {
        throw filesNotRelayed();
      },
    });
  }
}

export async function registerGeminiNative(app: FastifyInstance, core: GatewayCore): Promise<void> {
  for (const prefix of NATIVE_PREFIXES) {
    await app.register(async (scope) => nativeRoutes(scope, core, prefix), { prefix });
  }
}
