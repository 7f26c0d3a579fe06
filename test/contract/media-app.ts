/**
 * A bare fastify app on 127.0.0.1:0 with only the /images/ route, so store tests fetch image URLs
 * the way a chat client does, and raw requests whose path reaches the server byte for byte (fetch
 * would normalise `..` and backslashes away before sending).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { ImageLibrary } from '../../main/server/images/image-library';
import { registerMediaRoute } from '../../main/server/routes/media';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface MediaApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Fetches a saved image's url (relative `/images/…` or absolute) like a client would. */
  fetchUrl: (url: string) => Promise<{ status: number; bytes: Buffer; contentType: string | undefined }>;
  /** Sends `path` exactly as given as the request target. */
  raw: (path: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<RawResponse>;
  close: () => Promise<void>;
}

export async function startMediaApp(getLibrary: () => ImageLibrary): Promise<MediaApp> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  registerMediaRoute(app, getLibrary);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const fetchUrl: MediaApp['fetchUrl'] = async (imageUrl) => {
    const res = await fetch(new URL(imageUrl, url));
    return {
      status: res.status,
      bytes: Buffer.from(await res.arrayBuffer()),
      contentType: res.headers.get('content-type') ?? undefined,
    };
  };

  const raw: MediaApp['raw'] = (path, init = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(5_000, () => req.destroy(new Error(`timeout on ${path}`)));
      req.on('error', reject);
      req.end();
    });

  return { url, fetchUrl, raw, close: () => app.close() };
}
