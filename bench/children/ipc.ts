/**
 * The one message a bench child sends its parent: the port it got from listening on 127.0.0.1:0.
 * Shared by the children (which send it) and bench/procs.ts (which waits for it).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReadyMessage {
  type: 'ready';
  port: number;
}

export const isReadyMessage = (m: unknown): m is ReadyMessage =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ready';

/**
 * Listens on an ephemeral loopback port and tells the parent which one. `backlog` defaults to Node's
 * (511), which is also what the gateway gets from fastify.
 */
export function listenAndReport(server: Server, backlog = 511): void {
  server.listen(0, '127.0.0.1', backlog, () => {
    const { port } = server.address() as AddressInfo;
    const message: ReadyMessage = { type: 'ready', port };
    process.send?.(message);
  });
  // The parent going away (crash, Ctrl-C) closes the IPC channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
}
