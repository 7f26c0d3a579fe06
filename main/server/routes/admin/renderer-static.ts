/**
 * The built web admin (dist/renderer, Vite output) at /admin/ — open to all, like any login page: the
 * API under /admin/api/ is what the session guards. Vite names assets by content hash, so they are
 * cached for a year; index.html names the current hashes, so it is revalidated on every load. The
 * asset URLs are relative (./assets/…, so the same files load from file:// in Electron), hence
 * /admin redirects to /admin/ instead of serving the page under a base that would break them.
 * Without a build, /admin/ answers a 404 that says how to build it.
 *
 * Files are routed one by one (wildcard: false), read at start: the build does not change under a
 * running gateway, and the /admin/* catch-all of the admin context keeps answering everything else.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const HASHED = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export const NOT_BUILT_MESSAGE =
  "Gemgate's web admin is not built: dist/renderer has no index.html. Run `npm run build:renderer` " +
  '(the Docker image ships it built). The admin API under /admin/api/ works regardless.\n';

/** Vite puts every hashed file in assets/; anything else (index.html) keeps its name across builds. */
const headersFor = (rendererDir: string) => (reply: FastifyReply, file: string) => {
  const hashed = relative(rendererDir, file).split(sep)[0] === 'assets';
  reply.header('cache-control', hashed ? HASHED : REVALIDATE);
  // The admin page must not be framed by another site (clickjacking) nor sniffed into another type.
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
};

export async function registerRendererStatic(app: FastifyInstance, rendererDir: string): Promise<void> {
  // Relative, so it also works behind a proxy that mounts the gateway under a sub-path.
  app.get('/admin', async (_request, reply) => reply.redirect('admin/', 301));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    app.get('/admin/', async (_request, reply) =>
      reply
        .code(404)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(NOT_BUILT_MESSAGE),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: rendererDir,
    prefix: '/admin/',
    wildcard: false,
    redirect: false,
    index: ['index.html'],
    cacheControl: false,
    dotfiles: 'ignore',
    decorateReply: false,
    setHeaders: headersFor(rendererDir),
  });
}
