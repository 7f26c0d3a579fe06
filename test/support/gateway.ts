/**
 * Starts the real gateway (createGatewayCore + createServer) on 127.0.0.1:0 in front of a fake
 * upstream, with the official openai SDK pointed at it. Everything over real sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { settingsDefaults, type Settings } from '../../shared/settings-schema';
import { createGatewayCore, type CoreOptions, type GatewayCore } from '../../main/server/core';
import { createServer } from '../../main/server/create-server';
import { MemorySettingsSource } from '../../main/server/settings/settings-source';
import type { FastifyInstance } from 'fastify';

export interface TestGateway {
  url: string;
  core: GatewayCore;
  app: FastifyInstance;
  settings: MemorySettingsSource;
  openai: OpenAI;
  /** The data folder in use (removed on close unless it was passed in). */
  dataDir: string;
  close(): Promise<void>;
  /**
   * Stops listening the way a crash would: the core is not closed, so nothing is flushed and the
   * access-key journal stays as it is on disk. The data folder is kept.
   */
  abandon(): Promise<void>;
}

export interface GatewayOptions {
  upstreamUrl: string;
  keys: string[];
  settings?: Partial<Settings>;
  /** Run the start-up key check (off by default so tests see only their own upstream calls). */
  start?: boolean;
  /** The core's clock (access-key expiry and daily reset, auth TTL, lockouts, admin sessions). */
  now?: () => number;
  /** Use this data folder and leave it in place on close, to restart a gateway on the same state. */
  dataDir?: string;
  /** The built web admin served at /admin/ (createServer's default: dist/renderer under the cwd). */
  rendererDir?: string;
  /** What the tray app passes (CoreOptions.systemProxy); headless, as by default, passes nothing. */
  systemProxy?: CoreOptions['systemProxy'];
  /** The SSRF guard's DNS (CoreOptions.remoteLookup): names the test's image hosts. */
  remoteLookup?: CoreOptions['remoteLookup'];
  /** Host names the platform gives the gateway (CoreOptions.knownHosts: a Space's SPACE_HOST). */
  knownHosts?: CoreOptions['knownHosts'];
}

export async function startGateway(options: GatewayOptions): Promise<TestGateway> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gemgate-test-'));
  const settings = new MemorySettingsSource({
    ...settingsDefaults('headless'),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    proxyUrl: options.upstreamUrl,
    geminiApiKeys: options.keys,
    keyCheckIntervalMinutes: 0,
    geminiRetryDelay: 0,
    streamKeepaliveSeconds: 0,
    // Rate limits are tested on their own; elsewhere they would only make test order matter.
    maxRequestsPerMinute: 0,
    maxRequestsPerDayPerIp: 0,
    ...options.settings,
  });
  const core = createGatewayCore({
    settings,
    version: 'test',
    ...(options.now ? { now: options.now } : {}),
    ...(options.systemProxy ? { systemProxy: options.systemProxy } : {}),
    ...(options.remoteLookup ? { remoteLookup: options.remoteLookup } : {}),
    ...(options.knownHosts ? { knownHosts: options.knownHosts } : {}),
  });
  const app = await createServer(core, options.rendererDir ? { rendererDir: options.rendererDir } : {});
  await app.listen({ host: '127.0.0.1', port: 0 });
  if (options.start) core.start();
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const openai = new OpenAI({ apiKey: settings.get().password, baseURL: `${url}/v1`, maxRetries: 0 });
  return {
    url,
    core,
    app,
    settings,
    openai,
    dataDir,
    async close() {
      await app.close();
      await core.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async abandon() {
      await app.close();
      await core.gemini.close();
    },
  };
}
