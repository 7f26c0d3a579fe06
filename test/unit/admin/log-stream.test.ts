/** The SSE log stream on a bare fastify: framing, keep-alive comments during silence, unsubscribe. */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_LOG_STREAM_PATH } from '../../../shared/admin-transport';
import { LogBus } from '../../../main/server/logging/log-bus';
import { registerLogStream } from '../../../main/server/routes/admin/log-stream';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(log: LogBus, keepAliveMs: number): Promise<string> {
  app = Fastify();
  registerLogStream(app, log, { keepAliveMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${ADMIN_LOG_STREAM_PATH}`;
}

/** Collects the raw body until `enough` says so, then closes the connection. */
const collect = (url: string, enough: (text: string) => boolean, onOpen: () => void = () => undefined) =>
  new Promise<string>((resolve, reject) => {
    const req = request(url, (res) => {
      let text = '';
      res.setEncoding('utf8');
      onOpen();
      res.on('data', (chunk: string) => {
        text += chunk;
        if (enough(text)) {
          req.destroy();
          resolve(text);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });

describe('log stream', () => {
  it('one `data:` event per entry, a keep-alive comment after silence', async () => {
    const log = new LogBus({ now: () => 1000 });
    const url = await serve(log, 40);
    const text = await collect(
      url,
      (t) => t.includes(': keep-alive\n\n'),
      () => log.warn('two\nlines'),
    );
    expect(text.startsWith('data: {"id":1,"time":1000,"level":"warn","message":"two\\nlines"}\n\n')).toBe(
      true,
    );
    expect(text.endsWith(': keep-alive\n\n')).toBe(true);
  });

  it('no keep-alive while entries keep coming; the subscription ends with the connection', async () => {
    const log = new LogBus();
    let listeners = 0;
    const subscribe = log.subscribe.bind(log);
    log.subscribe = (listener) => {
      listeners++;
      const off = subscribe(listener);
      return () => {
        listeners--;
        return off();
      };
    };
    const url = await serve(log, 500);
    let sent = 0;
    const timer = setInterval(() => log.info(`entry ${++sent}`), 10);
    try {
      const text = await collect(url, (t) => t.split('data: ').length > 12);
      expect(text).not.toContain('keep-alive');
    } finally {
      clearInterval(timer);
    }
    await expect.poll(() => listeners).toBe(0);
  });
});
