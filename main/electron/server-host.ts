/**
 * Owns the HTTP listener of the tray app: start, stop, restart and its status (GatewayStatus's
 * `listening` / `listenError`). The core outlives every listener: a host/port change builds a new
 * fastify instance on the same core, listens, and only then closes the old one, so neither the key
 * pool nor the usage counters nor open requests notice. A failed bind is a status, never a crash:
 * the window keeps working over IPC and shows the error. So is a start the shell refuses (the start
 * guard, e.g. a saved password that cannot be decrypted): the core runs, nothing listens, and the
 * host starts by itself once a settings change lifts the guard.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ListenProblem } from '../../shared/admin-dto';
import type { Settings } from '../../shared/settings-schema';
import { exposedPasswordWarning } from '../server/admin/exposed-password';
import type { GatewayCore } from '../server/core';
import { createServer as createGatewayServer } from '../server/create-server';
import { clientBaseUrl, describeListenError, stillServingFailure, type ListenFailure } from './listen-error';

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

export interface ListeningAddress {
  host: string;
  port: number;
  /** The OpenAI base URL a client on this computer uses, e.g. http://127.0.0.1:7860/v1. */
  baseUrl: string;
}

export interface ServerHostStatus {
  state: ServerState;
  listening: ListeningAddress | null;
  listenError: string | null;
  /** `listenError` as a code the window and tray word in their language (absent: an unknown cause). */
  listenProblem?: ListenProblem;
  /** True when the start guard refused to listen: `listenError` is its reason, advice included. */
  blocked?: boolean;
}

export interface ServerHost {
  status(): ServerHostStatus;
  start(): Promise<ServerHostStatus>;
  /** Stops listening; open requests get `closeGraceMs` to finish. */
  stop(): Promise<ServerHostStatus>;
  /** A fresh listener with the current settings (new one first when the address changes). */
  restart(): Promise<ServerHostStatus>;
  onChange(listener: (status: ServerHostStatus) => void): () => void;
  /** Stops the listener and the settings watch; the caller closes the core afterwards. */
  close(): Promise<void>;
}

export interface ServerHostOptions {
  core: GatewayCore;
  /** Replaceable in tests; the real one is the core's createServer. */
  createServer?: (core: GatewayCore) => Promise<FastifyInstance>;
  /** How long open requests (long streams) may run on a listener being closed. */
  closeGraceMs?: number;
  /**
   * Asked before any listener opens: a reason (shown as `listenError`) means "do not listen now".
   * Asked again after every settings change while it holds the host back.
   */
  startBlocker?: () => ListenFailure | null;
}

/**
 * Settings that need a new listener: the address, and the body limit fastify fixes at creation.
 * (DATA_DIR also says "restart", but it belongs to the core: it applies at the next launch.)
 */
const LISTENER_SETTINGS = ['host', 'port', 'maxBodyMb'] as const satisfies readonly (keyof Settings)[];

/** The error part of a status: the English words, and the code when the cause is a known one. */
const failed = ({ message, problem }: ListenFailure) => ({
  state: 'error' as const,
  listenError: message,
  ...(problem ? { listenProblem: problem } : {}),
});

export function createServerHost(options: ServerHostOptions): ServerHost {
  const { core } = options;
  const build = options.createServer ?? createGatewayServer;
  const graceMs = options.closeGraceMs ?? 10_000;
  const blockReason = options.startBlocker ?? (() => null);
  const listeners = new Set<(status: ServerHostStatus) => void>();
  let app: FastifyInstance | null = null;
  let status: ServerHostStatus = { state: 'stopped', listening: null, listenError: null };
  let coreStarted = false;
  // One operation at a time: a Stop clicked during a restart waits for it instead of racing it.
  let queue: Promise<unknown> = Promise.resolve();

  const set = (next: ServerHostStatus) => {
    status = Object.freeze(next);
    for (const listener of listeners) listener(status);
  };
  const serialised = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => undefined);
    return run;
  };

  const closeGracefully = async (server: FastifyInstance) => {
    const force = setTimeout(() => server.server.closeAllConnections(), graceMs);
    force.unref();
    try {
      await server.close();
    } finally {
      clearTimeout(force);
    }
  };

  /** Builds and binds a new listener; on failure it is cleaned up and the reason returned. */
  const open = async (): Promise<
    { ok: true; server: FastifyInstance; address: ListeningAddress } | { ok: false; error: ListenFailure }
  > => {
    const { host, port } = core.settings.get();
    let server: FastifyInstance | undefined;
    try {
      server = await build(core);
      await server.listen({ host, port });
      const bound = (server.server.address() as AddressInfo).port;
      return { ok: true, server, address: { host, port: bound, baseUrl: clientBaseUrl(host, bound) } };
    } catch (err) {
      if (server) await server.close().catch(() => undefined);
      return { ok: false, error: describeListenError(err, host, port) };
    }
  };

  /** A listener is up: say where, and warn loudly when the default password guards a network address. */
  const announce = (message: string, address: ListeningAddress) => {
    core.log.info(message);
    const exposed = exposedPasswordWarning(address.host, core.settings.get().password);
    if (exposed) core.log.warn(exposed);
  };

  const startCore = () => {
    // Key health matters in the window even when the port is taken, so the first attempt starts it.
    if (coreStarted) return;
    coreStarted = true;
    core.start();
  };

  const doStart = async (): Promise<ServerHostStatus> => {
    if (app) return status;
    const blocked = blockReason();
    if (blocked !== null) {
      startCore();
      core.log.error(`Gemgate could not start its server: ${blocked.message}.`);
      set({ ...failed(blocked), listening: null, blocked: true });
      return status;
    }
    set({ state: 'starting', listening: null, listenError: null });
    const result = await open();
    startCore();
    if (!result.ok) {
      core.log.error(`Gemgate could not start its server: ${result.error.message}.`);
      set({ ...failed(result.error), listening: null });
      return status;
    }
    app = result.server;
    announce(
      `Gemgate ${core.version} listening on ${result.address.baseUrl.replace(/\/v1$/, '')}`,
      result.address,
    );
    set({ state: 'running', listening: result.address, listenError: null });
    return status;
  };

  const doStop = async (): Promise<ServerHostStatus> => {
    const old = app;
    app = null;
    if (old) {
      await closeGracefully(old);
      core.log.info('Server stopped.');
    }
    set({ state: 'stopped', listening: null, listenError: null });
    return status;
  };

  const doRestart = async (): Promise<ServerHostStatus> => {
    const old = app;
    const oldAddress = status.listening;
    if (!old || !oldAddress) return doStart();
    if (blockReason() !== null) {
      // No new listener while the guard holds, and not the old one either: doStart says why.
      app = null;
      await closeGracefully(old);
      return doStart();
    }
    const { host, port } = core.settings.get();
    if (port !== 0 && port === oldAddress.port && host === oldAddress.host) {
      // Same address (only the body limit changed): the port must be free before it can be bound.
      app = null;
      await closeGracefully(old);
      return doStart();
    }
    const result = await open();
    if (!result.ok) {
      // The old listener keeps serving: better than nothing, and the window says what failed.
      const stillServing = oldAddress.baseUrl.replace(/\/v1$/, '');
      const error = stillServingFailure(result.error, stillServing);
      core.log.error(`Gemgate could not move its server: ${error.message}.`);
      set({ ...failed(error), listening: oldAddress });
      return status;
    }
    app = result.server;
    set({ state: 'running', listening: result.address, listenError: null });
    announce(
      `Server moved to ${result.address.baseUrl.replace(/\/v1$/, '')}; closing the old listener.`,
      result.address,
    );
    await closeGracefully(old);
    return status;
  };

  const unsubscribe = core.settings.subscribe((next, previous) => {
    if (status.blocked === true) {
      // The guard may have lifted (start now) or changed (say what is still missing). Checked when
      // the turn comes: a Stop queued meanwhile wins.
      void serialised(async () =>
        status.blocked === true && blockReason()?.message !== status.listenError ? doStart() : status,
      );
      return;
    }
    if (!LISTENER_SETTINGS.some((key) => next[key] !== previous[key])) return;
    // A server the user stopped stays stopped; the new address applies at the next start.
    if (status.state === 'stopped') return;
    void serialised(doRestart);
  });

  return {
    status: () => status,
    start: () => serialised(doStart),
    stop: () => serialised(doStop),
    restart: () => serialised(doRestart),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      unsubscribe();
      await serialised(doStop);
      listeners.clear();
    },
  };
}
