/**
 * The tray app follows the operating system's proxy for its calls to Gemini and xAI while
 * OUTBOUND_PROXY is empty. Our first users run Clash or v2rayN as the *system* proxy: Electron's own
 * network stack follows it, the core's undici clients do not, so Google would be unreachable until
 * the owner found the setting.
 *
 * Electron answers for one URL at a time (`session.defaultSession.resolveProxy`, which knows the
 * system settings, PAC scripts and bypass lists). That is asked for PROXY_URL and XAI_BASE_URL at
 * start, every 30 s (the system setting changes without telling us: Clash switches it on and off)
 * and when one of them or OUTBOUND_PROXY changes — never on a request's path: the core reads the
 * cached answer (`proxyFor`) on every call. The log says which route each upstream takes whenever it
 * changes, and why a system proxy is not followed (SOCKS: the gateway tunnels through HTTP proxies
 * only). A lookup that fails leaves the route as it was: Electron answers '' then (see #ask).
 */
import type { SettingsSource } from '../server/settings/settings-source';
import { describeProxy, type UpstreamTarget } from '../server/upstream/upstream-dispatcher';
import { parsePacProxy } from './system-proxy-pac';

const SYSTEM_PROXY_INTERVAL_MS = 30_000;
/** A PAC script that must be downloaded, or WPAD detection, can be slow; a hung answer must not stall us. */
const RESOLVE_TIMEOUT_MS = 10_000;
/** How long the first answer may hold up the listener (a later one still applies when it comes). */
const START_WAIT_MS = 3_000;

const TARGETS: readonly UpstreamTarget[] = ['gemini', 'xai'];
const NAMES: Readonly<Record<UpstreamTarget, string>> = { gemini: 'Gemini', xai: 'xAI' };
const WHO = '{who}';

export interface SystemProxyOptions {
  settings: SettingsSource;
  /** Electron's `session.defaultSession.resolveProxy`. */
  resolveProxy: (url: string) => Promise<string>;
  intervalMs?: number;
}

export interface SystemProxyReport {
  log: { info(message: string): void; warn(message: string): void };
  /** A followed route changed: the model list is fetched again through it, as for OUTBOUND_PROXY. */
  onChange: () => void;
}

interface Note {
  level: 'info' | 'warn';
  /** With WHO standing for the upstreams it is about, so that both can share one line. */
  template: string;
}

/** What the system named, fit for the log: never a password, never a whole script's worth. */
const masked = (text: string): string => text.replace(/[^\s;@]+@/g, '***@').slice(0, 200);
const messageOf = (err: unknown): string => masked(err instanceof Error ? err.message : String(err));

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class SystemProxy {
  readonly #options: SystemProxyOptions;
  readonly #routes: Record<UpstreamTarget, string> = { gemini: '', xai: '' };
  /** The note last logged per upstream; undefined: none yet, or OUTBOUND_PROXY took over since. */
  readonly #told: Record<UpstreamTarget, string | undefined> = { gemini: undefined, xai: undefined };
  #report: SystemProxyReport | undefined;
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(options: SystemProxyOptions) {
    this.#options = options;
  }

  /** The cached route for the core (CoreOptions.systemProxy): a proxy URL, or '' for direct. */
  readonly proxyFor = (target: UpstreamTarget): string => this.#routes[target];

  /**
   * Asks now, then on a timer and on the settings that matter. Resolves once the first answer is in,
   * or after a few seconds without one, so the listener does not wait on a slow PAC script.
   */
  start(report: SystemProxyReport): Promise<void> {
    this.#report = report;
    this.#unsubscribe = this.#options.settings.subscribe((next, prev) => {
      if (
        next.proxyUrl !== prev.proxyUrl ||
        next.xaiBaseUrl !== prev.xaiBaseUrl ||
        next.outboundProxy !== prev.outboundProxy
      )
        void this.refresh();
    });
    this.#timer = setInterval(
      () => void this.refresh(),
      this.#options.intervalMs ?? SYSTEM_PROXY_INTERVAL_MS,
    );
    this.#timer.unref();
    return withTimeout(this.refresh(), START_WAIT_MS).catch(() => undefined);
  }

  /** One round of questions, after any still running (their answers are applied in order). */
  refresh(): Promise<void> {
    this.#queue = this.#queue
      .then(() => (this.#stopped ? undefined : this.#refreshOnce()))
      // A round that went wrong must not stop the ones after it.
      .catch((err: unknown) =>
        this.#report?.log.warn(`Following the system proxy failed: ${messageOf(err)}`),
      );
    return this.#queue;
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unsubscribe?.();
  }

  async #refreshOnce(): Promise<void> {
    const settings = this.#options.settings.get();
    const urls: Record<UpstreamTarget, string> = { gemini: settings.proxyUrl, xai: settings.xaiBaseUrl };
    const notes = await Promise.all(TARGETS.map((target) => this.#ask(target, urls[target])));
    if (this.#stopped) return;
    // With OUTBOUND_PROXY set nothing follows the system: say nothing, and say it all again once it is
    // cleared. The routes stay current all the same, so that clearing it applies at once.
    const following = settings.outboundProxy.trim() === '';
    const lines = new Map<string, { level: Note['level']; targets: UpstreamTarget[] }>();
    let changed = false;
    TARGETS.forEach((target, i) => {
      const note = notes[i];
      if (note === undefined) return;
      if (note.route !== undefined && note.route !== this.#routes[target]) {
        this.#routes[target] = note.route;
        changed = true;
      }
      if (!following) {
        this.#told[target] = undefined;
        return;
      }
      if (this.#told[target] === note.template) return;
      this.#told[target] = note.template;
      const line = lines.get(note.template) ?? { level: note.level, targets: [] };
      line.targets.push(target);
      lines.set(note.template, line);
    });
    const report = this.#report;
    if (!report || !following) return;
    for (const [template, { level, targets }] of lines) {
      report.log[level](template.replace(WHO, targets.map((t) => NAMES[t]).join(' and ')));
    }
    if (changed) report.onChange();
  }

  /** The route for one upstream (undefined: keep the one in use) and what the log should say of it. */
  async #ask(target: UpstreamTarget, url: string): Promise<Note & { route: string | undefined }> {
    let pac: string;
    try {
      pac = await withTimeout(this.#options.resolveProxy(url), RESOLVE_TIMEOUT_MS);
    } catch (err) {
      return this.#keep(target, messageOf(err));
    }
    // Electron's resolveProxy never rejects: a lookup that failed (a net error, the network service
    // gone) resolves with '', while a direct answer is "DIRECT". Read as "no proxy", one failed round
    // would send a Clash user's calls direct until the next one.
    if (pac.trim() === '') return this.#keep(target, 'the lookup failed');
    const { proxy, unsupported } = parsePacProxy(pac);
    if (proxy !== '') {
      return {
        route: proxy,
        level: 'info',
        template: `Calls to ${WHO} follow the system proxy ${describeProxy(proxy)}.`,
      };
    }
    if (unsupported === undefined) {
      const template = `Calls to ${WHO} connect directly: the system proxy setting names no proxy for them.`;
      return { route: '', level: 'info', template };
    }
    const template =
      `Calls to ${WHO} connect directly: the system proxy for them is "${masked(unsupported)}", which Gemgate ` +
      'cannot use (it tunnels through HTTP proxies only; SOCKS is not supported). Set OUTBOUND_PROXY ' +
      "(Settings → Gemini → Outbound proxy) to your proxy app's HTTP port, e.g. http://127.0.0.1:7890.";
    return { route: '', level: 'warn', template };
  }

  /** No answer: the route in use stays. The same words each round, so the log says it once. */
  #keep(target: UpstreamTarget, reason: string): Note & { route: undefined } {
    const current = this.#routes[target];
    const keep = current === '' ? 'connecting directly' : `going through ${describeProxy(current)}`;
    const template = `Could not read the system proxy for the calls to ${WHO} (${reason}); they keep ${keep}.`;
    return { route: undefined, level: 'warn', template };
  }
}
