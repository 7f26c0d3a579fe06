/**
 * POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart) — OpenAI's image API over
 * Gemini image models and Imagen (issue "Images" §6, wire-format §3.9, §4.10). Generated images go
 * through the same image library as chat images: same store, same gallery, same fallbacks.
 *
 * The edits route lives in a scope of its own together with @fastify/multipart, so it is the only
 * route that ever parses form data; every other route (generations included) keeps taking JSON alone.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { GatewayCore } from '../../core';
import { deliverImages, type ImagesResponse } from '../../images-api/deliver-images';
import { generateImages } from '../../images-api/generate-images';
import { multipartOptions, readEditForm } from '../../images-api/multipart-edit';
import {
  parseEditRequest,
  parseGenerationRequest,
  type ImageJob,
} from '../../images-api/parse-image-request';
import { publicOrigin } from '../../images/public-origin';
import { clientAbortSignal, type RequestState } from '../../request-state';

async function run(
  core: GatewayCore,
  job: ImageJob,
  origin: string,
  signal: AbortSignal,
  state: RequestState,
): Promise<ImagesResponse> {
  state.model = job.model;
  const generation = await generateImages(core, job, signal, state);
  return deliverImages(core, job, generation, origin);
}

export async function registerImageRoutes(
  app: FastifyInstance,
  core: GatewayCore,
  maxBodyMb: number,
): Promise<void> {
  app.post('/v1/images/generations', async (request, reply) => {
    const signal = clientAbortSignal(reply);
    const job = parseGenerationRequest(request.body);
    const origin = publicOrigin(request, core.settings.get().hostUrl);
    return run(core, job, origin, signal, request.gemgate);
  });

  await app.register(async (scope) => {
    await scope.register(multipart, multipartOptions(maxBodyMb));
    scope.post('/v1/images/edits', async (request, reply) => {
      const signal = clientAbortSignal(reply);
      const form = await readEditForm(request, maxBodyMb);
      const job = parseEditRequest(form.fields, form);
      const origin = publicOrigin(request, core.settings.get().hostUrl);
      return run(core, job, origin, signal, request.gemgate);
    });
  });
}
