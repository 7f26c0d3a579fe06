/**
 * GET/HEAD /images/<id>.<ext>: the images of the memory and local stores (DESIGN §6).
 *
 * Open to all, like the links a chat client shows: ids carry 64 random bits, so a URL is its own
 * capability. The name is parsed strictly (generated id, known extension matching the stored type)
 * and only ever used as an id, never as a path, so traversal attempts simply name no image. Ids are
 * never reused, hence an ETag from the id and a year of immutable caching.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, toOpenAIError } from '../errors';
import type { ImageLibrary } from '../images/image-library';
import { extensionFor } from '../images/image-store';
import { SERVED_IMAGES_PREFIX, parseImageFileName } from '../images/served-images';
import type { RequestState } from '../request-state';

const IMMUTABLE = 'public, max-age=31536000, immutable';

const etagOf = (id: string): string => `"${id}"`;

/** If-None-Match with weak comparison (RFC 9110 §13.1.2): a list of tags, `W/` ignored, or `*`. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = new ApiError(
    'not_found',
    'No such image. It may have been removed by the image storage caps.',
  );
  // Also mounted on bare fastify instances (tests), where no request state exists.
  const state = (request as { gemgate?: RequestState | null }).gemgate;
  if (state) state.errorCode = error.code;
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(toOpenAIError(error));
}

export function registerMediaRoute(app: FastifyInstance, getLibrary: () => ImageLibrary): void {
  app.get<{ Params: { name: string } }>(`${SERVED_IMAGES_PREFIX}:name`, async (request, reply) => {
    const name = parseImageFileName(request.params.name);
    if (!name) return notFound(request, reply);
    const library = getLibrary();
    // Cloud images live on their bucket's domain; the gateway never proxies them.
    if (!library.store.capabilities.servedByGateway) return notFound(request, reply);
    const image = await library.read(name.id);
    if (!image || extensionFor(image.mimeType) !== name.ext) return notFound(request, reply);

    const etag = etagOf(name.id);
    reply.header('etag', etag).header('cache-control', IMMUTABLE).header('x-content-type-options', 'nosniff');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply
      .code(200)
      .header('content-type', image.mimeType)
      .header('content-length', image.bytes.length)
      .send(image.bytes);
  });
  // Anything else under /images/ (extra segments, an empty name) gets the same JSON 404, whatever
  // not-found handler the hosting app has.
  app.get(`${SERVED_IMAGES_PREFIX}*`, async (request, reply) => notFound(request, reply));
}
