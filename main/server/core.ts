/**
 * The gateway's long-lived state and adapters, built once per process by a composition root
 * (headless or Electron) and handed to createServer(). Settings changes are applied here, live:
 * a new key list reaches the pool, a new cooldown the next 429, a new PROXY_URL the next call.
 */
import {
  describeProxy,
  isDirect,
  type UpstreamConnection,
  type UpstreamTarget,
} from './upstream/upstream-dispatcher';
import type { Settings } from '../../shared/settings-schema';
import { AccessKeyStore } from './access/access-keys';
import { AuthorisedIps, FAILURE_WINDOW_MS } from './access/authorised-ips';
import { FailureThrottle } from './access/failure-throttle';
import { AdminSessions, loadOrCreateSecret } from './admin/admin-sessions';
import { ImageService } from './images/image-service';
import { KeyChecker } from './keys/key-checker';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { KeyPool } from './keys/key-pool';
import { OwnerDisabledKeys } from './keys/owner-disabled-keys';
import { LogBus } from './logging/log-bus';
import { redactSecrets } from './logging/redact';
import type { RemoteFetchOptions } from './net/ssrf-guard';
import { GeminiClient } from './providers/gemini/gemini-client';
import { ModelCatalog } from './providers/gemini/model-catalog';
import { ToolCallMemory } from './providers/gemini/tool-call-memory';
import { XaiClient } from './providers/xai/xai-client';
import { UsageRecorder } from './usage/usage-recorder';
import type { SettingsSource } from './settings/settings-source';

export interface GatewayCore {
  readonly settings: SettingsSource;
  readonly version: string;
  readonly startedAt: number;
  readonly now: () => number;
  readonly log: LogBus;
  readonly keys: KeyPool;
  /** The keys the owner switched off in the admin, remembered across restarts. */
  readonly ownerDisabledKeys: OwnerDisabledKeys;
  readonly keyChecker: KeyChecker;
  readonly gemini: GeminiClient;
  readonly models: ModelCatalog;
  readonly toolCalls: ToolCallMemory;
  readonly images: ImageService;
  /** XAI_API_KEYS: used on /xai/v1 for callers who present a gateway credential, not their own key. */
  readonly xaiKeys: KeyPool;
  readonly xai: XaiClient;
  readonly usage: UsageRecorder;
  readonly metrics: GatewayMetrics;
  readonly accessKeys: AccessKeyStore;
  readonly authorisedIps: AuthorisedIps;
  /** Wrong API keys per client (IPv6: per /64); a client past the limit is refused for a while. */
  readonly credentialThrottle: FailureThrottle;
  readonly adminSessions: AdminSessions;
  /** DNS used by the SSRF guard; replaceable in tests. */
  readonly remoteLookup: RemoteFetchOptions['lookup'];
  /** The proxy remote images are fetched through: Gemini's (OUTBOUND_PROXY, else the system's); '' direct. */
  remoteFetchProxy(): string;
  /** Host names that are always this gateway's, whatever HOST_URL says (CoreOptions.knownHosts). */
  readonly knownHosts: readonly string[];
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
  /**
   * Host names the platform gives this gateway (a Space's SPACE_HOST): the DNS rebinding guards take
   * them as its own even when HOST_URL, which a web admin user can change, says otherwise.
   */
  knownHosts?: readonly string[];
  /**
   * The tray app's system proxy for an upstream (main/electron/system-proxy.ts), followed while
   * OUTBOUND_PROXY is empty: an http(s) proxy URL, or '' for direct. Called on every upstream call, so
   * it returns a value resolved beforehand. Headless passes none: a server connects the way it is
   * configured to, whatever the machine's desktop settings say.
   */
  systemProxy?: (target: UpstreamTarget) => string;
}

/** Wrong API keys a client may send within 15 minutes before it is refused for the rest of them. */
const MAX_WRONG_CREDENTIALS = 10;

/** The secrets the log bus masks; recomputed only when the settings object changes. */
const secretsOfSettings = () => {
  let source: Settings | undefined;
  let secrets: string[] = [];
  return (s: Settings): string[] => {
    if (s !== source) {
      source = s;
      secrets = [s.password, s.adminPassword].filter((v) => v.length >= 4);
    }
    return secrets;
  };
};

/** The log line for OUTBOUND_PROXY, its password masked. The system proxy logs its own route. */
const outboundRouteText = (proxy: string, followsSystem: boolean): string => {
  if (isDirect(proxy)) return 'Calls to Gemini and xAI connect directly (OUTBOUND_PROXY=direct).';
  if (proxy.trim() !== '')
    return `Calls to Gemini and xAI go through the HTTP proxy ${describeProxy(proxy)} (OUTBOUND_PROXY).`;
  return followsSystem
    ? 'Calls to Gemini and xAI now follow the system proxy (OUTBOUND_PROXY is empty).'
    : 'Calls to Gemini and xAI now connect directly (no OUTBOUND_PROXY).';
};

export function createGatewayCore(options: CoreOptions): GatewayCore {
  const { settings } = options;
  const now = options.now ?? Date.now;
  const secretsOf = secretsOfSettings();
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
  const ownerDisabledKeys = new OwnerDisabledKeys(initial.dataDir, (message) => log.warn(message));
  const applyOwnerSwitches = () => {
    ownerDisabledKeys.keepOnly(keys.health().map((h) => h.id));
    ownerDisabledKeys.applyTo(keys);
  };
  applyOwnerSwitches();
  const { systemProxy } = options;
  if (initial.outboundProxy.trim() !== '') log.info(outboundRouteText(initial.outboundProxy, false));
  // Both upstream clients read these per call: a changed proxy or timeout applies to the next request.
  // OUTBOUND_PROXY wins; only when it is empty does the system proxy (tray app) count.
  const connectionTo = (target: UpstreamTarget): UpstreamConnection => ({
    connectTimeoutMs: () => settings.get().upstreamConnectTimeoutSeconds * 1000,
    proxy: () => {
      const configured = settings.get().outboundProxy;
      return systemProxy === undefined || configured.trim() !== '' ? configured : systemProxy(target);
    },
  });
  const geminiConnection = connectionTo('gemini');
  const gemini = new GeminiClient({
    baseUrl: () => settings.get().proxyUrl,
    connection: geminiConnection,
    responseTimeoutMs: () => settings.get().upstreamResponseTimeoutSeconds * 1000,
    observe: (action, status, seconds) => metrics.upstreamAnswered('gemini', action, status, seconds),
  });
  const models = new ModelCatalog({
    client: gemini,
    pool: keys,
    log,
    now,
    ttlMs: () => settings.get().modelsCacheSeconds * 1000,
  });
  const keyChecker = new KeyChecker(keys, gemini, log);
  const accessKeys = new AccessKeyStore(initial.dataDir, now);
  const images = new ImageService(settings, log, now);
  const xaiKeys = new KeyPool(initial.xaiApiKeys, {
    now,
    defaultCooldownMs: initial.keyCooldownSeconds * 1000,
  });
  const metrics = new GatewayMetrics({ keys, xaiKeys, imageStats: () => images.library.stats() });
  const xai = new XaiClient({
    connection: connectionTo('xai'),
    responseTimeoutMs: () => settings.get().upstreamResponseTimeoutSeconds * 1000,
    observe: (action, status, seconds) => metrics.upstreamAnswered('xai', action, status, seconds),
  });
  const usage = new UsageRecorder(initial.dataDir, (err) =>
    log.warn(`Usage could not be saved: ${err instanceof Error ? err.message : String(err)}`),
  );

  const unsubscribe = settings.subscribe((next, prev) => {
    if (next.geminiApiKeys !== prev.geminiApiKeys) {
      keys.setKeys(next.geminiApiKeys);
      applyOwnerSwitches();
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
    if (next.keyCooldownSeconds !== prev.keyCooldownSeconds) {
      keys.setDefaultCooldownMs(next.keyCooldownSeconds * 1000);
      xaiKeys.setDefaultCooldownMs(next.keyCooldownSeconds * 1000);
    }
    if (next.xaiApiKeys !== prev.xaiApiKeys) {
      xaiKeys.setKeys(next.xaiApiKeys);
      // Gemini keys the gateway disabled come back when a key check finds them working; no check
      // probes xAI keys, so the owner saving the list again is their second chance. A key still
      // refused is disabled again by the next request that uses it: one the gateway holds the body
      // of (chat, images/generations, no body) moves on to another key; one whose body streams
      // through (/xai/v1/images/edits, /v1/responses, …) cannot be replayed and gets xAI's refusal.
      for (const lease of xaiKeys.reenableRejected()) {
        log.info(`xAI key ${lease.masked} enabled again: XAI_API_KEYS was saved with it.`);
      }
    }
    if (next.proxyUrl !== prev.proxyUrl) models.invalidate();
    if (next.outboundProxy !== prev.outboundProxy) {
      log.info(outboundRouteText(next.outboundProxy, systemProxy !== undefined));
      models.invalidate();
    }
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
    ownerDisabledKeys,
    keyChecker,
    gemini,
    models,
    toolCalls: new ToolCallMemory({ now }),
    images,
    xaiKeys,
    xai,
    usage,
    metrics,
    accessKeys,
    authorisedIps: new AuthorisedIps(now),
    credentialThrottle: new FailureThrottle({
      now,
      maxFailures: MAX_WRONG_CREDENTIALS,
      windowMs: FAILURE_WINDOW_MS,
    }),
    adminSessions: new AdminSessions(
      loadOrCreateSecret(initial.dataDir),
      () => settings.get().adminPassword || settings.get().password,
      now,
    ),
    remoteLookup: options.remoteLookup,
    knownHosts: options.knownHosts ?? [],
    remoteFetchProxy: () => geminiConnection.proxy(),
    start() {
      void keyChecker.checkAll();
      keyChecker.schedule(settings.get().keyCheckIntervalMinutes);
    },
    async close() {
      unsubscribe();
      keyChecker.stop();
      accessKeys.flush();
      usage.close(now());
      await images.close();
      await gemini.close();
      await xai.close();
    },
  };
}
