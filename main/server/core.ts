/**
 * The gateway's long-lived state and adapters, built once per process by a composition root
 * (headless or Electron) and handed to createServer(). Settings changes are applied here, live:
 * a new key list reaches the pool, a new cooldown the next 429, a new PROXY_URL the next call.
 */
import type { Settings } from '../../shared/settings-schema';
import { KeyChecker } from './keys/key-checker';
import { KeyPool } from './keys/key-pool';
import { LogBus } from './logging/log-bus';
import { redactSecrets } from './logging/redact';
import type { RemoteFetchOptions } from './net/ssrf-guard';
import { GeminiClient } from './providers/gemini/gemini-client';
import { ModelCatalog } from './providers/gemini/model-catalog';
import { ToolCallMemory } from './providers/gemini/tool-call-memory';
import type { SettingsSource } from './settings/settings-source';

export interface GatewayCore {
  readonly settings: SettingsSource;
  readonly version: string;
  readonly startedAt: number;
  readonly now: () => number;
  readonly log: LogBus;
  readonly keys: KeyPool;
  readonly keyChecker: KeyChecker;
  readonly gemini: GeminiClient;
  readonly models: ModelCatalog;
  readonly toolCalls: ToolCallMemory;
  /** DNS used by the SSRF guard; replaceable in tests. */
  readonly remoteLookup: RemoteFetchOptions['lookup'];
  /** Validates the keys and arms the periodic check (call once the server listens). */
  start(): void;
  close(): Promise<void>;
}

export interface CoreOptions {
  settings: SettingsSource;
  version: string;
  now?: () => number;
  logCapacity?: number;
  remoteLookup?: RemoteFetchOptions['lookup'];
}

const secretsOf = (s: Settings): string[] => [s.password, s.adminPassword].filter((v) => v.length >= 4);

export function createGatewayCore(options: CoreOptions): GatewayCore {
  const { settings } = options;
  const now = options.now ?? Date.now;
  const log = new LogBus({
    capacity: options.logCapacity ?? 2000,
    now,
    redact: (text) => redactSecrets(text, secretsOf(settings.get())),
  });
  const initial = settings.get();
  const keys = new KeyPool(initial.geminiApiKeys, {
    now,
    defaultCooldownMs: initial.keyCooldownSeconds * 1000,
  });
  const gemini = new GeminiClient({
    baseUrl: () => settings.get().proxyUrl,
    connectTimeoutMs: initial.upstreamConnectTimeoutSeconds * 1000,
    responseTimeoutMs: () => settings.get().upstreamResponseTimeoutSeconds * 1000,
  });
  const models = new ModelCatalog({
    client: gemini,
    pool: keys,
    log,
    now,
    ttlMs: () => settings.get().modelsCacheSeconds * 1000,
  });
  const keyChecker = new KeyChecker(keys, gemini, log);

  const unsubscribe = settings.subscribe((next, prev) => {
    if (next.geminiApiKeys !== prev.geminiApiKeys) {
      keys.setKeys(next.geminiApiKeys);
      models.invalidate();
      const added = next.geminiApiKeys.filter((k) => !prev.geminiApiKeys.includes(k));
      if (added.length > 0) {
        const ids = keys
          .health()
          .filter((h) => added.includes(keys.keyOf(h.id) ?? ''))
          .map((h) => h.id);
        void keyChecker.checkAll(ids);
      }
    }
    if (next.keyCooldownSeconds !== prev.keyCooldownSeconds)
      keys.setDefaultCooldownMs(next.keyCooldownSeconds * 1000);
    if (next.proxyUrl !== prev.proxyUrl) models.invalidate();
    if (next.keyCheckIntervalMinutes !== prev.keyCheckIntervalMinutes)
      keyChecker.schedule(next.keyCheckIntervalMinutes);
  });

  return {
    settings,
    version: options.version,
    startedAt: now(),
    now,
    log,
    keys,
    keyChecker,
    gemini,
    models,
    toolCalls: new ToolCallMemory({ now }),
    remoteLookup: options.remoteLookup,
    start() {
      void keyChecker.checkAll();
      keyChecker.schedule(settings.get().keyCheckIntervalMinutes);
    },
    async close() {
      unsubscribe();
      keyChecker.stop();
      await gemini.close();
    },
  };
}
