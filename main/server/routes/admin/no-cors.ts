/** Takes back the CORS headers the server-wide plugin put on a reply: nothing under /admin is cross-origin. */
import type { FastifyReply } from 'fastify';

export function withoutCors(reply: FastifyReply): void {
  for (const name of Object.keys(reply.getHeaders())) {
    if (name.startsWith('access-control-')) reply.removeHeader(name);
  }
}
