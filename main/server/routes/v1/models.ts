/**
 * GET /v1/models and /v1/models/{id}: Google's list (prefix stripped), the thinking variants of
 * models that think, and EXTRA_MODELS (wire-format §3.7, §4.10) — or, for a caller with Google's
 * credential and no Bearer token (access/api-dialect.ts), Google's own list and model.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { ApiError } from '../../errors';
import { stripModelsPrefix } from '../../providers/gemini/model-catalog';
import { thinkingVariantIds } from '../../providers/gemini/model-capabilities';
import { getNativeModel, listNativeModels } from '../gemini/native-routes';

export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

const modelEntry = (id: string, ownedBy = 'google'): OpenAIModel => ({
  id,
  object: 'model',
  created: 0,
  owned_by: ownedBy,
});

export async function listOpenAIModels(core: GatewayCore): Promise<OpenAIModel[]> {
  const extra = core.settings.get().extraModels;
  let upstream: Awaited<ReturnType<GatewayCore['models']['list']>> = [];
  try {
    upstream = await core.models.list();
  } catch (err) {
    // Without any list from Google, EXTRA_MODELS alone is still a useful answer; with none, report why.
    if (extra.length === 0) throw err;
  }
  const seen = new Set<string>();
  const out: OpenAIModel[] = [];
  const add = (id: string, ownedBy?: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push(modelEntry(id, ownedBy));
  };
  for (const model of upstream) {
    add(stripModelsPrefix(model.name));
    for (const variant of thinkingVariantIds(model)) add(variant);
  }
  for (const id of extra) add(stripModelsPrefix(id), 'gemgate');
  return out;
}

/** @google/genai on Google's v1 (its default from 3.x) lists and reads models here: Google's shape. */
const speaksGoogle = (request: FastifyRequest): boolean => request.gemgate.dialect === 'gemini';

export function registerModels(app: FastifyInstance, core: GatewayCore): void {
  app.get('/v1/models', async (request) =>
    speaksGoogle(request)
      ? listNativeModels(core, request)
      : { object: 'list', data: await listOpenAIModels(core) },
  );

  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request, reply) => {
    if (speaksGoogle(request)) return getNativeModel(core, request, reply, request.params.id);
    const id = stripModelsPrefix(request.params.id);
    const found = (await listOpenAIModels(core)).find((m) => m.id === id);
    if (!found)
      throw new ApiError('model_not_found', `The model '${id}' does not exist or is not available.`, {
        param: 'model',
      });
    return found;
  });
}
