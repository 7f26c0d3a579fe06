/**
 * Fetches an image a client referenced by URL (markdown images in history, `image_url` parts) so it
 * can be sent to Gemini inline — behind the SSRF guard, with size and time caps (DESIGN §10).
 *
 * How the checked address is the connected address: every hop's host is resolved and vetted first,
 * then the request goes through a private undici `Agent` whose `connect.lookup` answers only from
 * those vetted addresses (`pinnedLookup`) and never asks DNS again. We keep the host name in the URL
 * instead of connecting by IP: the `Host` header, TLS SNI and certificate checks then stay exactly
 * what they would be for a normal request, with nothing to hand-craft.
 *
 * Through a proxy (REMOTE_FETCH_VIA_PROXY: the one Gemini is reached through, for image hosts
 * blocked like Google) every hop is still vetted here first, but the connection is a CONNECT tunnel
 * to the host name, which the proxy resolves itself: it cannot be pinned to the vetted addresses.
 * Connecting to them by IP instead would fail exactly where a proxy is needed, since the local DNS
 * answers for blocked hosts are poisoned. That is why it is the tray's default and not a server's
 * (see the setting). A hop to an allow-listed or intranet host is always direct and pinned: the
 * proxy may not reach the owner's network at all.
 */
import { Agent, ProxyAgent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { ApiError } from '../errors';
import { describeProxy, proxyUri } from '../upstream/upstream-dispatcher';
import {
  defaultLookup,
  isFakeIpAddress,
  isPublicAddress,
  normalizeHost,
  pinnedLookup,
  vetHost,
} from './ssrf-guard';
import type { HostLookup, RemoteFetchOptions, ResolvedAddress } from './ssrf-guard';

export type { RemoteFetchOptions } from './ssrf-guard';

export interface RemoteImage {
  mimeType: string;
  /** base64 */
  data: string;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const refuse = (host: string, why: string, cause?: unknown): ApiError =>
  new ApiError('invalid_image_url', `Cannot use the image URL on host "${host}": ${why}.`, {
    param: 'messages',
    cause,
  });

const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

const formatBytes = (bytes: number): string => {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number(mb.toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
};

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** Validates one hop's URL before any network activity. */
function checkUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(
      url.hostname || url.protocol,
      `only http and https URLs can be fetched, not ${url.protocol}`,
    );
  }
  // Credentials in a URL would be sent to the host and end up in logs; no legitimate image needs them.
  if (url.username !== '' || url.password !== '') {
    throw refuse(url.hostname, 'URLs with credentials are not allowed');
  }
}

/** The media type without parameters, e.g. `image/png` from `image/png; charset=binary`. */
function imageMimeType(host: string, contentType: string | undefined): string {
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mime === '') throw refuse(host, 'not an image (no Content-Type)');
  if (!mime.startsWith('image/')) throw refuse(host, `not an image (${mime})`);
  if (mime === 'image/svg+xml') throw refuse(host, 'SVG images are not supported by Gemini (image/svg+xml)');
  return mime;
}

/** Rejects as soon as `signal` aborts, so a slow DNS answer cannot outlive the time cap. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

type ResponseBody = Dispatcher.ResponseData['body'];

/**
 * Drops a body we will not read. undici's body stream reports an early destroy as an 'error'
 * event; without a listener that would become an uncaught exception.
 */
function discard(body: ResponseBody): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readCapped(host: string, body: ResponseBody, maxBytes: number) {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      discard(body);
      throw refuse(host, `larger than ${formatBytes(maxBytes)}`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

/** Direct: connects only to the addresses vetted for each host. */
const pinnedAgent = (vetted: Map<string, ResolvedAddress[]>, timeoutMs: number): Dispatcher =>
  new Agent({
    connect: { lookup: pinnedLookup(vetted), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

/**
 * Through the proxy: CONNECT also for http:// images, so the proxy never sees a request's headers;
 * the time cap bounds the proxy's connect, its answer to CONNECT and the TLS handshake too.
 */
const proxiedAgent = (uri: string, timeoutMs: number): Dispatcher =>
  new ProxyAgent({
    uri,
    proxyTunnel: true,
    connect: { timeout: timeoutMs },
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

interface FetchState {
  /** Host of the hop in progress, so a timeout names the host that was slow. */
  host: string;
  /** The proxy the hop in progress goes through (masked), for the error's wording. */
  via: string | undefined;
}

interface Dispatchers {
  direct: Dispatcher;
  /** Present when public hosts are fetched through the proxy; `uri` for the wording. */
  proxied?: { dispatcher: Dispatcher; uri: string };
}

/**
 * Allow-listed or intranet (an allow-listed address): the owner's own network, never via the proxy.
 * A fake IP is not: with a proxy the proxy app resolves the name; without one its TUN takes the
 * connection to the fake IP.
 */
const isOwnNetwork = (host: string, addresses: readonly ResolvedAddress[], allowed: ReadonlySet<string>) =>
  allowed.has(normalizeHost(host)) ||
  addresses.some((a) => !isPublicAddress(a.address) && !isFakeIpAddress(a.address));

async function followRedirects(
  startUrl: URL,
  options: RemoteFetchOptions,
  dispatchers: Dispatchers,
  vetted: Map<string, ResolvedAddress[]>,
  signal: AbortSignal,
  state: FetchState,
): Promise<RemoteImage> {
  const allowed = new Set(options.allowedHosts.map(normalizeHost));
  const baseLookup: HostLookup = options.lookup ?? defaultLookup;
  const lookup: HostLookup = (hostname) => untilAborted(baseLookup(hostname), signal);
  let url = startUrl;

  for (let redirects = 0; ; redirects++) {
    checkUrl(url);
    const host = url.hostname;
    state.host = host;
    const verdict = await vetHost(host, allowed, lookup, options.acceptFakeIps === true);
    if (!verdict.ok) throw refuse(host, verdict.reason, verdict.cause);
    vetted.set(normalizeHost(host), verdict.addresses);
    const proxied = isOwnNetwork(host, verdict.addresses, allowed) ? undefined : dispatchers.proxied;
    state.via = proxied && describeProxy(proxied.uri);

    const response = await request(url, {
      method: 'GET',
      dispatcher: proxied?.dispatcher ?? dispatchers.direct,
      signal,
      headers: { accept: 'image/*', 'user-agent': 'Gemgate' },
    });
    const { statusCode, headers, body } = response;

    if (REDIRECT_STATUSES.has(statusCode)) {
      discard(body);
      const location = firstHeader(headers.location);
      if (!location) throw refuse(host, `HTTP ${statusCode} redirect without a Location header`);
      if (redirects >= MAX_REDIRECTS) throw refuse(host, `more than ${MAX_REDIRECTS} redirects`);
      try {
        url = new URL(location, url);
      } catch (cause) {
        throw refuse(host, 'redirected to an invalid URL', cause);
      }
      continue;
    }
    if (statusCode < 200 || statusCode >= 300) {
      discard(body);
      throw refuse(host, `HTTP ${statusCode}`);
    }

    let mimeType: string;
    try {
      mimeType = imageMimeType(host, firstHeader(headers['content-type']));
      // A declared length over the cap fails fast; the streamed count below is what really enforces it.
      const declared = Number(firstHeader(headers['content-length']));
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        throw refuse(host, `larger than ${formatBytes(options.maxBytes)}`);
      }
    } catch (err) {
      discard(body);
      throw err;
    }
    const bytes = await readCapped(host, body, options.maxBytes);
    return { mimeType, data: bytes.toString('base64') };
  }
}

export async function fetchRemoteImage(
  url: string,
  options: RemoteFetchOptions,
  signal?: AbortSignal,
): Promise<RemoteImage> {
  let startUrl: URL;
  try {
    startUrl = new URL(url);
  } catch (cause) {
    throw new ApiError('invalid_image_url', 'The image URL is not a valid URL.', {
      param: 'messages',
      cause,
    });
  }
  checkUrl(startUrl);

  const vetted = new Map<string, ResolvedAddress[]>();
  const proxy = proxyUri(options.proxy ?? '');
  let proxied: Dispatchers['proxied'];
  try {
    if (proxy !== undefined) proxied = { dispatcher: proxiedAgent(proxy, options.timeoutMs), uri: proxy };
  } catch (cause) {
    // A proxy value the settings let through but undici cannot use (upstream-dispatcher.ts).
    throw refuse(startUrl.hostname, `the proxy ${describeProxy(proxy ?? '')} cannot be used`, cause);
  }
  const dispatchers: Dispatchers = {
    direct: pinnedAgent(vetted, options.timeoutMs),
    ...(proxied ? { proxied } : {}),
  };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onCallerAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const state: FetchState = { host: startUrl.hostname, via: undefined };

  try {
    return await followRedirects(startUrl, options, dispatchers, vetted, controller.signal, state);
  } catch (err) {
    // Whatever surfaced after an abort (undici's AbortError, a failed DNS race) is reported as the abort.
    if (timedOut) throw refuse(state.host, `timed out after ${formatSeconds(options.timeoutMs)}`, err);
    if (signal?.aborted) throw refuse(state.host, 'the request was cancelled', err);
    if (err instanceof ApiError) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    const via = state.via === undefined ? '' : ` through the proxy ${state.via}`;
    throw refuse(
      state.host,
      `could not be fetched${via}${typeof code === 'string' ? ` (${code})` : ''}`,
      err,
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
    // Each fetch has its own agents (the direct one pinned to this fetch's vetted hosts): free their sockets.
    const agents = dispatchers.proxied
      ? [dispatchers.direct, dispatchers.proxied.dispatcher]
      : [dispatchers.direct];
    await Promise.all(agents.map((agent) => agent.destroy().catch(() => undefined)));
  }
}
