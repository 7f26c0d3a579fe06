/**
 * Who may call the API (DESIGN §4 step 1; issue "Access control" §8): in this order
 *   client IP → deny list → credential (password, access key) / allow list / IP authorised by the
 *   `auth` command → rate limits (rate-limits.ts, registered after this) → handler.
 * Every refusal is a JSON error in the caller's dialect and is logged with its reason, never a 500.
 *
 * A client without a credential may still send one small chat request: if its last message is
 * `auth <password>`, it is answered here, without calling Gemini. Anything else gets the 401.
 */
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../../../shared/settings-schema';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { newCompletionId } from '../ids';
import {
  missingXaiKeyError,
  noPooledXaiKeysError,
  unrecognisedXaiTokenError,
} from '../providers/xai/xai-errors';
import { SSE_DONE, sseData } from '../sse/encode-sse';
import { createPolicyCache, type AccessPolicy } from './access-policy';
import { apiDialectFor, isXaiRelayPath, type ApiDialect } from './api-dialect';
import { authCommandPassword, authReply, authReplyChunks } from './auth-command';
import { carriesForwardingHeaders, resolveClientIp } from './client-ip';
import { ipBucket, isInternalAddress, normalizeIp } from './ip-match';
import { secretEquals } from './constant-time';
import { clientIpOf, refuseIfLockedOut } from './password-lockout';
import { isPassword } from './proven-connections';
import { bearerToken, geminiStyleToken } from './credentials';
import { routedPath } from './request-path';
import { isLocalOrigin, localNamesFor } from './local-names';
import { addressAccessForeignHost } from './rebinding';

/** Unauthenticated bodies larger than this cannot be an auth command: refuse before parsing them. */
const MAX_UNAUTHENTICATED_BODY = 64 * 1024;

const isChatCompletion = (request: FastifyRequest) =>
  request.method === 'POST' && routedPath(request) === '/v1/chat/completions';

const missingCredential = (dialect: ApiDialect, presented: boolean) =>
  new ApiError(
    'invalid_api_key',
    presented
      ? 'Incorrect API key provided. Use the gateway password or an access key as the API key.'
      : dialect === 'openai'
        ? 'Missing API key. Send the gateway password or an access key as the API key (Authorization: Bearer <key>).'
        : 'Missing API key. Send the gateway password or an access key in x-goog-api-key or ?key=.',
  );

/** The refusal of a request without a valid credential; a wrong credential counts as a failure. */
function refuse(
  core: GatewayCore,
  bucket: string,
  dialect: ApiDialect,
  presented: boolean,
  locked: number,
  /** The request came from a page on another site that its address alone would have let in. */
  pageOrigin?: string,
): ApiError {
  if (locked > 0) {
    return new ApiError(
      'auth_attempts_exceeded',
      `Too many wrong API keys from this address. Try again in ${locked} s.`,
      { retryAfterSeconds: locked },
    );
  }
  if (presented) core.credentialThrottle.recordFailure(bucket);
  return pageOrigin === undefined
    ? missingCredential(dialect, presented)
    : foreignPageRefusal(dialect, pageOrigin);
}

/**
 * Said once per listener: requests forwarded by a proxy on an internal address that TRUST_PROXY does
 * not trust all carry that proxy's address — the IP lists, the per-IP daily limit and `auth` then
 * treat every client alike. A public peer sending the headers is a client, not our proxy: no warning.
 */
function untrustedProxyWarning(core: GatewayCore) {
  let warned = false;
  return (remoteAddress: string | undefined, headers: FastifyRequest['headers']): void => {
    if (warned || !carriesForwardingHeaders(headers)) return;
    // Normalised only here, past the cheap checks: most requests carry no forwarding headers.
    const peer = normalizeIp(remoteAddress ?? '');
    if (!isInternalAddress(peer)) return;
    warned = true;
    core.log.warn(
      `Requests come through a proxy at ${peer} (they carry X-Forwarded-For or the like), but TRUST_PROXY does not trust it: every client behind it shares that address for WHITELIST_IPS / BLACKLIST_IPS, the per-IP daily limit and the auth command. If the proxy is yours, set TRUST_PROXY=true (or its address).`,
    );
  };
}

export function registerAccessControl(app: FastifyInstance, core: GatewayCore): void {
  const policyOf = createPolicyCache();

  // An `auth` grant proves the password as it was: rotating a leaked password must shut out whoever
  // used it, not leave them in until the next restart (as a new admin password ends admin sessions).
  const unsubscribe = core.settings.subscribe((next, previous) => {
    if (next.password !== previous.password) core.authorisedIps.revokeAll();
  });
  app.addHook('onClose', async () => unsubscribe());

  // Callback-style, not async: this runs on every request, and an async hook costs a promise and a
  // microtask hop apiece. A refusal is thrown by `admit` and handed to `done`.
  const warnOfUntrustedProxy = untrustedProxyWarning(core);
  const admit = (request: FastifyRequest): void => {
    const settings = core.settings.get();
    const policy = policyOf(settings);
    const state = request.gemgate;
    state.ip = resolveClientIp(request.socket.remoteAddress, request.headers, policy.trust);
    const remote = request.socket.remoteAddress;
    // No TRUST_PROXY (the default): nothing to normalise the peer for on this per-request path.
    state.proxyTrusted = policy.trust !== undefined && policy.trust(normalizeIp(remote ?? ''), 0);
    if (!state.proxyTrusted) warnOfUntrustedProxy(remote, request.headers);

    if (policy.deny.matches(state.ip)) {
      throw new ApiError('ip_blocked', 'Your IP address is blocked by this gateway.');
    }
    const path = routedPath(request);
    const dialect = apiDialectFor(request, path);
    state.dialect = dialect ?? 'other';
    if (!dialect || request.method === 'OPTIONS') return;
    if (isXaiRelayPath(path)) return admitXaiCaller(core, request, policy, settings);

    const token = dialect === 'openai' ? bearerToken(request) : geminiStyleToken(request);
    // Brute-force guard: a client that sent too many wrong credentials is not even compared any
    // more — otherwise a correct guess would still be told apart from a wrong one while "locked".
    const bucket = ipBucket(state.ip);
    const locked = token === undefined ? 0 : core.credentialThrottle.lockedFor(bucket);
    if (token !== undefined && locked === 0) {
      if (isPassword(request.socket, token, settings.password)) {
        state.access = 'password';
        return;
      }
      if (core.accessKeys.isAccessKey(token)) {
        // Throws a 401 that says why when the key is disabled, expired or used up.
        state.ticket = core.accessKeys.admit(token);
        state.access = 'access_key';
        return;
      }
    }
    const byAddress = accessByAddress(core, policy, state.ip);
    // A page on another site is not let in by the address of the browser it runs in.
    const page = byAddress === undefined ? undefined : foreignPageOrigin(core, request, settings.hostUrl);
    if (byAddress !== undefined && page === undefined) {
      state.access = byAddress;
      return;
    }
    const length = Number(request.headers['content-length'] ?? Infinity);
    if (isChatCompletion(request) && length <= MAX_UNAUTHENTICATED_BODY) {
      // Maybe an `auth` command, which has its own lockout: clients that cannot send the header
      // at all often send a placeholder key, which must not keep them from authorising.
      state.access = 'pending';
      state.presentedToken = token !== undefined;
      state.pageOrigin = page;
      return;
    }
    throw refuse(core, bucket, dialect, token !== undefined, locked, page);
  };
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      admit(request);
    } catch (err) {
      done(err as Error);
      return;
    }
    done(); // outside the try: it runs the next hooks, whose errors are not ours to report
  });

  // Only a request that may be an `auth` command has work to do here; every other one passes
  // synchronously (callback-style, for the same reason as above).
  const answerPending = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const state = request.gemgate;
    const password = authCommandPassword(request.body);
    if (password === undefined) {
      const bucket = ipBucket(clientIpOf(request));
      throw refuse(
        core,
        bucket,
        'openai',
        state.presentedToken === true,
        core.credentialThrottle.lockedFor(bucket),
        state.pageOrigin,
      );
    }
    await answerAuthCommand(core, request, reply, password);
  };
  app.addHook('preHandler', (request, reply, done) => {
    if (request.gemgate.access !== 'pending') {
      done();
      return;
    }
    // Either answered here or refused: a pending request never reaches its handler.
    answerPending(request, reply).catch((err: unknown) => done(err as Error));
  });
}

/** A use of an access key counts only when the request succeeded (the request lifecycle calls this). */
export function settleAccessKeyUse(request: FastifyRequest, status: number): void {
  const ticket = request.gemgate?.ticket;
  if (!ticket) return;
  if (status < 400 && !request.gemgate.errorCode) ticket.commit();
  else ticket.release();
}

/** How an address alone lets a caller in, if it does: the allow list, or an `auth` grant. */
const accessByAddress = (
  core: GatewayCore,
  policy: AccessPolicy,
  ip: string,
): 'allow_list' | 'auth_command' | undefined =>
  policy.allow.matches(ip) ? 'allow_list' : core.authorisedIps.isAuthorised(ip) ? 'auth_command' : undefined;

/**
 * The origin of a web page on another site, when the request comes from one (its `Origin` header
 * names a host that is not this computer's, access/local-names.ts, or it is a rebinding page whose
 * Host names another site, access/rebinding.ts). An address on WHITELIST_IPS or
 * authorised by `auth` is this computer or its network, not every page its browser opens: any site
 * may call the API cross-origin (CORS is open for browser chat clients), and without this it would
 * be served on the strength of the visitor's address alone. Pages served from this computer, and
 * clients that are not browsers (no `Origin`), keep address-based access.
 */
function foreignPageOrigin(core: GatewayCore, request: FastifyRequest, hostUrl: string): string | undefined {
  const names = localNamesOf(core)(hostUrl);
  const origin = request.headers.origin;
  if (origin !== undefined && !isLocalOrigin(origin, names)) return origin;
  // An <img>, <script> or link another site put in a page sends no Origin, but the browser says
  // where the request came from (to localhost and over https): unreadable, it would still spend the
  // owner's budgets and keys.
  if (origin === undefined && request.headers['sec-fetch-site'] === 'cross-site') {
    return 'a request another site started (Sec-Fetch-Site: cross-site)';
  }
  // A page that rebound its domain here sends no Origin on a same-origin GET: its Host tells.
  const host = addressAccessForeignHost(request, names);
  return host === undefined
    ? undefined
    : `${host.slice(0, 100)}, a host name this gateway does not know: set HOST_URL if it is this gateway's address`;
}

/** This computer's names for each core (its known hosts), computed once per HOST_URL. */
const localNamesByCore = new WeakMap<GatewayCore, (hostUrl: string) => ReadonlySet<string>>();
const localNamesOf = (core: GatewayCore): ((hostUrl: string) => ReadonlySet<string>) => {
  let names = localNamesByCore.get(core);
  if (names === undefined) {
    names = localNamesFor(hostname(), core.knownHosts);
    localNamesByCore.set(core, names);
  }
  return names;
};

const foreignPageRefusal = (dialect: ApiDialect, origin: string) =>
  new ApiError(
    'invalid_api_key',
    `A web page (${origin.slice(0, 200)}) must send the gateway password or an access key${dialect === 'openai' ? ' (Authorization: Bearer <key>)' : ''}: access by IP address (WHITELIST_IPS, the auth command) does not extend to pages on other sites.`,
  );

/** xAI's API keys start with `xai-`; anything else presented at /xai is meant for the gateway. */
const XAI_KEY_SHAPE = /^xai-/;

/**
 * /xai/ (issue "xAI relay"): the password or an access key → a pooled xAI key (XAI_API_KEYS must
 * not be empty). Any other Bearer token shaped like an xAI key is the caller's own, forwarded as is:
 * it is not a gateway credential, so it is neither a wrong password nor throttled (access is
 * `own_xai_key`, which tells the relay to use it, and keeps it out of the owner's budgets and records);
 * a token of any other shape is a wrong gateway password. No token → a pooled key for allow-listed or
 * `auth`-authorised IPs.
 * A client locked out for wrong credentials presents none here either: they are not compared, and
 * a token is refused rather than forwarded (it might be the very password being guessed).
 */
function admitXaiCaller(
  core: GatewayCore,
  request: FastifyRequest,
  policy: AccessPolicy,
  settings: Settings,
): void {
  const state = request.gemgate;
  const ip = clientIpOf(request);
  const token = bearerToken(request);
  const pooled = core.xaiKeys.availability().total > 0;
  if (token !== undefined) {
    const bucket = ipBucket(ip);
    const locked = core.credentialThrottle.lockedFor(bucket);
    if (locked > 0) throw refuse(core, bucket, 'openai', true, locked);
    if (isPassword(request.socket, token, settings.password)) {
      if (!pooled) throw noPooledXaiKeysError();
      state.access = 'password';
    } else if (core.accessKeys.isAccessKey(token)) {
      if (!pooled) throw noPooledXaiKeysError();
      state.ticket = core.accessKeys.admit(token);
      state.access = 'access_key';
    } else if (!XAI_KEY_SHAPE.test(token)) {
      // Not the caller's own xAI key either: a wrong gateway password, counted as one (otherwise
      // /xai would be a place to guess the password without the lockout, and the guesses went to xAI).
      core.credentialThrottle.recordFailure(bucket);
      throw unrecognisedXaiTokenError();
    } else {
      state.access = 'own_xai_key';
    }
    return;
  }
  const byAddress = accessByAddress(core, policy, ip);
  if (byAddress === undefined) throw missingXaiKeyError();
  // The pooled xAI keys are not for pages on other sites either (foreignPageOrigin).
  const page = foreignPageOrigin(core, request, settings.hostUrl);
  if (page !== undefined) throw foreignPageRefusal('openai', page);
  state.access = byAddress;
  if (!pooled) throw noPooledXaiKeysError();
}

async function answerAuthCommand(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  password: string,
): Promise<FastifyReply> {
  const state = request.gemgate;
  const ip = clientIpOf(request);
  refuseIfLockedOut(core, ip);
  const ttlHours = core.settings.get().authCommandTtlHours;
  let text: string;
  const correct = secretEquals(password, core.settings.get().password);
  const hostUrl = core.settings.get().hostUrl;
  const unknownHost = addressAccessForeignHost(request, localNamesOf(core)(hostUrl))?.slice(0, 100);
  const fromPage = unknownHost === undefined ? foreignPageOrigin(core, request, hostUrl) : undefined;
  if (correct && state.proxyTrusted !== true && carriesForwardingHeaders(request.headers)) {
    // The address is the proxy's, shared by everyone behind it: authorising it would let them all in.
    text = `⚠️ Not authorised: this request came through a proxy (${ip}) that the gateway does not trust, so everyone behind it shares that address. The gateway's owner should set TRUST_PROXY (true behind Hugging Face Spaces or a reverse proxy); until then, use the password as the API key. · 未授权：请求经过网关不信任的代理（${ip}），代理后的所有人共用这个地址。请网关所有者设置 TRUST_PROXY（在 Hugging Face Spaces 或反向代理后设为 true）；在此之前请把密码作为 API Key 使用。`;
    state.errorCode = 'auth_command_untrusted_proxy';
    core.log.warn(`auth command: not granted to ${ip}, a proxy TRUST_PROXY does not trust`);
  } else if (correct && fromPage !== undefined) {
    // A page on another site would authorise its visitor's address for every program there: that is
    // not what `auth` is for, and the page itself stays refused anyway (foreignPageOrigin).
    text = `⚠️ Not authorised: a web page (${fromPage.slice(0, 100)}) cannot authorise an address; send the password as the API key instead. · 未授权：网页不能为地址授权，请改为把密码作为 API Key 发送。`;
    state.errorCode = 'auth_command_from_page';
    core.log.warn(`auth command: not granted to ${ip}, sent by a page on another site`);
  } else if (correct && unknownHost !== undefined) {
    // Granted, the address would still be refused on every request for this host name (access by
    // address does not extend to a host the gateway does not know: rebinding.ts). Say so now.
    text = `⚠️ Not authorised: this gateway does not know the host name "${unknownHost}" it was reached by. Its owner should set HOST_URL to that address (behind a proxy or tunnel), or use the password as the API key. · 未授权：网关不认识访问所用的主机名 “${unknownHost}”。请网关所有者把 HOST_URL 设为该地址（在代理或隧道之后），或把密码作为 API Key 使用。`;
    state.errorCode = 'auth_command_unknown_host';
    core.log.warn(`auth command: not granted to ${ip}, reached by a host name the gateway does not know`);
  } else if (correct) {
    core.authorisedIps.grant(ip, ttlHours > 0 ? ttlHours * 3600_000 : Infinity);
    const until = ttlHours > 0 ? `for ${ttlHours} h` : 'until the gateway restarts';
    text = `✅ Authorised: ${ip} may now use this gateway ${until}. · 授权成功：${ip} 现在可以使用本网关（${ttlHours > 0 ? `${ttlHours} 小时` : '直到网关重启'}）。`;
    state.access = 'auth_command';
    core.log.info(`auth command: ${ip} authorised ${until}`);
  } else {
    core.authorisedIps.recordFailure(ip);
    text = '❌ Wrong password: this IP was not authorised. · 密码错误，未授权此 IP。';
    state.errorCode = 'auth_command_wrong_password';
    core.log.warn(`auth command: wrong password from ${ip}`);
  }

  const body = request.body as {
    model?: unknown;
    stream?: unknown;
    stream_options?: { include_usage?: unknown };
  };
  const model = typeof body.model === 'string' ? body.model : 'gemgate';
  const id = newCompletionId();
  const created = Math.floor(core.now() / 1000);
  if (body.stream !== true) return reply.send(authReply(id, created, model, text));
  const chunks = authReplyChunks(id, created, model, text, body.stream_options?.include_usage === true);
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(chunks.map(sseData).join('') + SSE_DONE);
}
