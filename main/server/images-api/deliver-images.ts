/**
 * Generated images → OpenAI's images response (wire-format §3.9). Every image is saved through the
 * image library, whatever `response_format` asks, so it shows up in the gallery; `url` links the
 * saved copy (absolute: HOST_URL or the request's origin), `b64_json` returns the bytes themselves.
 * A store that cannot take an image never costs the image: it is returned inline (`b64_json`, or a
 * `data:` URL where a link was asked for) and the failure is logged.
 */
import type { GatewayCore } from '../core';
import { dataUrlOf, saveAndLink } from '../images/save-and-link';
import type { Generation, ImagesUsage } from './generate-images';
import type { DrawnImage } from './image-upstream';
import type { ImageJob } from './parse-image-request';

export type ImageDatum = ({ url: string } | { b64_json: string }) & { revised_prompt?: string };

export interface ImagesResponse {
  created: number;
  data: ImageDatum[];
  usage?: ImagesUsage;
}

/** The image's absolute link, or undefined when the store failed (already logged). */
const save = (core: GatewayCore, image: DrawnImage, job: ImageJob, origin: string) =>
  saveAndLink(
    core,
    { bytes: Buffer.from(image.data, 'base64'), mimeType: image.mimeType },
    { source: 'images-api', model: job.model, prompt: job.prompt },
    origin,
  );

export async function deliverImages(
  core: GatewayCore,
  job: ImageJob,
  generation: Generation,
  origin: string,
): Promise<ImagesResponse> {
  const data = await Promise.all(
    generation.images.map(async (image): Promise<ImageDatum> => {
      const url = await save(core, image, job, origin);
      const revised = image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {};
      if (job.responseFormat === 'b64_json') return { b64_json: image.data, ...revised };
      return { url: url ?? dataUrlOf(image), ...revised };
    }),
  );
  return {
    created: Math.floor(core.now() / 1000),
    data,
    ...(generation.usage ? { usage: generation.usage } : {}),
  };
}
