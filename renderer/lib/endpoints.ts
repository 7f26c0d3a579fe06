/** Addresses the window shows or links to, derived from what the gateway reports about itself. */

export interface ClientEndpoints {
  /** Scheme, host and port, e.g. http://127.0.0.1:7860 (what Chatbox and Cherry Studio ask for). */
  origin: string;
  /** The OpenAI base URL, origin + /v1 (what the openai SDK asks for). */
  v1: string;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]', '::']);

/**
 * The URLs a client should use. A listener on 0.0.0.0 / :: is reachable on every address, but no
 * client can connect to "0.0.0.0": in the web admin the address the browser used is the one that
 * works (e.g. the Space's https URL), on the desktop the loopback address.
 */
export function clientEndpoints(baseUrl: string, pageOrigin: string | null): ClientEndpoints {
  let origin = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  try {
    const url = new URL(origin);
    if (WILDCARD_HOSTS.has(url.hostname)) {
      if (pageOrigin !== null) origin = pageOrigin;
      else {
        url.hostname = '127.0.0.1';
        origin = url.origin;
      }
    } else {
      origin = url.origin + url.pathname.replace(/\/+$/, '');
    }
  } catch {
    // not a URL: shown as reported
  }
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
