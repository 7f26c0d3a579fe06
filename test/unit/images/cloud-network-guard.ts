/**
 * Proof that the cloud-store tests reach nothing but 127.0.0.1: every TCP connection in this test
 * process passes through `net.Socket.prototype.connect` (http, https, urllib, request, undici), so
 * the guard sees the intended host before any DNS lookup. Other destinations are recorded and the
 * socket fails, as offline. Also records unhandled rejections — the qiniu SDK's failed region query
 * (uc.qiniuapi.com) surfaces as one and would crash a real process.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export interface Destination {
  host: string;
  port: number;
}

export interface NetworkGuard {
  /** Non-loopback connection attempts since the last `take()`. */
  blocked: Destination[];
  unhandledRejections: unknown[];
  /** Returns and clears the blocked attempts (for tests that provoke one on purpose). */
  take(): Destination[];
}

type ConnectArgs = Parameters<net.Socket['connect']>;

interface ConnectOptions {
  host?: unknown;
  port?: unknown;
  /** A unix socket or pipe; https requests carry `path: null`. */
  path?: unknown;
}

/** Where a connect call goes: a host and port, or undefined for a unix socket / pipe. */
function destinationOf(args: unknown[]): Destination | undefined {
  // net.connect passes an already-normalised `[options, callback]` array, tls.connect its options.
  const first: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as ConnectOptions;
    if (typeof options.path === 'string' && options.path !== '') return undefined;
    return {
      host: typeof options.host === 'string' ? options.host : 'localhost',
      port: Number(options.port),
    };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  }
  return undefined;
}

/** Installs the guard for the calling test file; each test must end with nothing blocked. */
export function guardNetwork(): NetworkGuard {
  const guard: NetworkGuard = {
    blocked: [],
    unhandledRejections: [],
    take() {
      return guard.blocked.splice(0);
    },
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .apply(socket, …)
  const original = net.Socket.prototype.connect;
  const onRejection = (reason: unknown) => guard.unhandledRejections.push(reason);

  beforeAll(() => {
    net.Socket.prototype.connect = function (this: net.Socket, ...args: ConnectArgs) {
      const target = destinationOf(args);
      if (target === undefined || target.host === '127.0.0.1') return original.apply(this, args);
      guard.blocked.push(target);
      const refused = Object.assign(
        new Error(`test network guard: ${target.host}:${target.port} is off limits`),
        {
          code: 'ECONNREFUSED',
        },
      );
      process.nextTick(() => this.destroy(refused));
      return this;
    } as net.Socket['connect'];
    process.on('unhandledRejection', onRejection);
  });

  afterEach(() => {
    expect(guard.take(), 'connections to hosts other than 127.0.0.1').toEqual([]);
    expect(guard.unhandledRejections.splice(0), 'unhandled rejections').toEqual([]);
  });

  afterAll(() => {
    net.Socket.prototype.connect = original;
    process.off('unhandledRejection', onRejection);
  });

  return guard;
}
