/**
 * A tiny image host on 127.0.0.1 for the remote-image path of chat requests: serves fixed bytes
 * and records what was asked, so a test can prove the gateway did (or did not) fetch it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImageServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Paths requested, in order. */
  hits: string[];
  close(): Promise<void>;
}

export async function startImageServer(
  images: Record<string, { contentType: string; bytes: Buffer }>,
): Promise<ImageServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const image = images[path];
    if (!image) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': image.contentType, 'content-length': image.bytes.length });
    res.end(image.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
