/** Addresses the window shows or links to, derived from what the gateway reports about itself. */

export interface ClientEndpoints {
  /** Scheme, host and port, e.g. http://127.0.0.1:7860 (what Chatbox and Cherry Studio ask for). */
  origin: string;
  /** The OpenAI base URL, origin + /v1 (what the openai SDK asks for). */
  v1: string;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]', '::']);

/**
 * The listener's own origin as a client on this computer reaches it: a listener on 0.0.0.0 / :: is
 * reachable on every address, but no client can connect to "0.0.0.0", so loopback stands in for it.
 */
export function listenerOrigin(baseUrl: string): string {
  const origin = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  try {
    const url = new URL(origin);
    if (!WILDCARD_HOSTS.has(url.hostname)) return url.origin + url.pathname.replace(/\/+$/, '');
    url.hostname = '127.0.0.1';
    return url.origin;
  } catch {
    return origin; // not a URL: shown as reported
  }
}

export interface EndpointSources {
  /** GatewayStatus.listening.baseUrl: the listener's address, wildcard binds already on loopback. */
  baseUrl: string;
  /** GatewayStatus.publicUrl: HOST_URL, when it is set. */
  publicUrl: string | null;
  /** The web admin: the origin (and path prefix) the browser reached the gateway at. Desktop: null. */
  pageOrigin: string | null;
}

/**
 * The URLs a client should use: HOST_URL when the owner set one; else, in the web admin, the address
 * the browser used — the one that works through Docker's port mapping or a Space's proxy, where the
 * listener only knows its 0.0.0.0:7860 inside the container; else (the desktop window, on this
 * computer) the listener itself.
 */
export function clientEndpoints({ baseUrl, publicUrl, pageOrigin }: EndpointSources): ClientEndpoints {
  const origin = publicUrl?.replace(/\/+$/, '') || pageOrigin?.replace(/\/+$/, '') || listenerOrigin(baseUrl);
  return { origin, v1: `${origin}/v1` };
}

export const openaiSnippet = (v1: string, apiKey: string): string =>
  `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${v1}', apiKey: '${apiKey}' });
const reply = await client.chat.completions.create({
  model: 'gemini-2.5-flash',
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(reply.choices[0]?.message.content);`;

/**
 * A gallery image URL the window can load. Relative ones (`/images/…`) are served by the gateway;
 * in Electron the page itself is a file:// URL, so they resolve against the gateway's address.
 */
export function imageSrc(url: string, gatewayOrigin: string | null, pageHref: string): string {
  try {
    const base = gatewayOrigin !== null && !/^https?:/.test(pageHref) ? gatewayOrigin : pageHref;
    return new URL(url, base).href;
  } catch {
    return url;
  }
}
