/**
 * GET /admin/api/logs/stream: the live log as Server-Sent Events, one `data: <LogEntry JSON>` event
 * per entry and a comment every 15 s of silence so proxies keep the connection. The session guard
 * accepts `?token=` here (EventSource cannot set headers). A viewer that falls behind (a stalled
 * connection) is dropped rather than buffered without bound: its EventSource reconnects and fetches
 * what it missed with getLogs(afterId). Open streams end when the server closes, so a shutdown or a
 * listener restart does not wait on them.
 */
import type { FastifyInstance } from 'fastify';
import { ADMIN_LOG_STREAM_PATH } from '../../../../shared/admin-transport';
import type { LogBus } from '../../logging/log-bus';
import { sseData } from '../../sse/encode-sse';
import { SseResponse } from '../../sse/sse-response';
import { withoutCors } from './no-cors';

export const LOG_STREAM_KEEPALIVE_MS = 15_000;
/** Bytes a viewer may have waiting in its socket buffer before it is dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface LogStreamOptions {
  keepAliveMs?: number;
}

export function registerLogStream(app: FastifyInstance, log: LogBus, options: LogStreamOptions = {}): void {
  const keepAliveMs = options.keepAliveMs ?? LOG_STREAM_KEEPALIVE_MS;
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of open) end();
    done();
  });

  app.get(ADMIN_LOG_STREAM_PATH, (_request, reply) => {
    // A hijacked reply skips onSend, where the admin context removes CORS headers: do it here.
    withoutCors(reply);
    const sse = new SseResponse(reply, keepAliveMs);
    sse.open();
    sse.armKeepAlive();
    const raw = reply.raw;
    let unsubscribe = (): void => undefined;
    const end = () => {
      unsubscribe();
      open.delete(end);
      sse.end();
    };
    unsubscribe = log.subscribe((entry) => {
      if (raw.writableLength > MAX_BUFFERED_BYTES) end();
      else void sse.write(sseData(entry));
    });
    open.add(end);
    raw.once('close', () => {
      unsubscribe();
      open.delete(end);
      sse.dispose();
    });
  });
}
