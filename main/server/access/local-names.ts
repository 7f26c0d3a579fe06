/**
 * Which host names are this computer's, for two guards against web pages the user happens to visit
 * (pure; the callers give the extra names):
 *
 * - DNS rebinding: a page on `evil.example` re-resolves its own name to 127.0.0.1 (or to this
 *   computer's LAN address) and then talks to the gateway as its own origin, so CORS does not stop
 *   it. Its requests still carry `Host: evil.example`.
 * - A page on any site may call the API cross-origin (browser chat clients need that), with its
 *   `Origin` header; it must not be let in merely because this computer's address is allowed.
 *
 * Local here means a name public DNS cannot hand out: an IP literal in a Host header (a rebinding
 * needs a name), `localhost` and the special-use suffixes (.localhost, .local for mDNS, .internal —
 * Docker Desktop's host.docker.internal —, .home.arpa), the names home and office networks use
 * that no public TLD delegates (.lan, .home, .localdomain, .corp, .intranet, .private), a
 * single-label name (no public TLD resolves without a dot), and the names the caller adds (this
 * machine's hostname, HOST_URL's host). Ollama's fix for the same attack (CVE-2024-28224) draws the
 * line in the same place.
 */
import { isIP } from 'node:net';
import { isInternalAddress } from './ip-match';

const LOCAL_SUFFIXES = [
  '.localhost',
  '.local',
  '.internal',
  '.home.arpa',
  '.lan',
  '.home',
  '.localdomain',
  '.corp',
  '.intranet',
  '.private',
];

/** The lower-case host name of a `Host` header value (`[::1]:7860` → `::1`); undefined when malformed. */
export function hostNameOf(hostHeader: string): string | undefined {
  const text = hostHeader.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9_.-]+?)\.?(?::\d{1,5})?$/.exec(text);
  return plain?.[1];
}

/**
 * Whether an `Origin` header names this computer, for the address-based access of
 * access-control.ts. A web origin (http, https) is local when its host name is — an IP only when
 * it is an internal address: a page may well be served from a public IP, it is then a site like
 * any other. Another scheme — `app://`, `tauri://`, `chrome-extension://` — is software installed
 * here: no web page can send it. `null` is what sandboxed frames of any site send (desktop apps
 * that load their page from a file may send it too): not local, so such callers need a credential.
 */
export function isLocalOrigin(origin: string, extraNames: ReadonlySet<string>): boolean {
  if (!URL.canParse(origin)) return false;
  const { protocol, host } = new URL(origin);
  if (protocol !== 'http:' && protocol !== 'https:') return true;
  const name = hostNameOf(host);
  if (name === undefined) return false;
  return isIP(name) !== 0 ? isInternalAddress(name) : isLocalName(name, extraNames);
}

/** Whether `name` (a lower-case host name) can only mean this computer or its private network. */
export function isLocalName(name: string, extraNames: ReadonlySet<string>): boolean {
  if (isIP(name) !== 0) return true;
  if (name === 'localhost' || !name.includes('.')) return true;
  if (LOCAL_SUFFIXES.some((suffix) => name.endsWith(suffix))) return true;
  return extraNames.has(name);
}

/**
 * The extra names of `isLocalName` for a HOST_URL, computed once per HOST_URL: both guards ask on
 * requests, and HOST_URL changes rarely.
 */
export function localNamesFor(
  machineHostName: string,
  knownHosts: readonly string[] = [],
): (hostUrl: string) => ReadonlySet<string> {
  let cached: { hostUrl: string; names: ReadonlySet<string> } | undefined;
  return (hostUrl) => {
    if (cached?.hostUrl !== hostUrl) {
      cached = { hostUrl, names: localExtraNames(machineHostName, hostUrl, knownHosts) };
    }
    return cached.names;
  };
}

/**
 * This machine's names, HOST_URL's host when set, and the names the platform gives the gateway
 * whatever the settings say (`knownHosts`: a Space's SPACE_HOST): the extra names of `isLocalName`.
 */
export function localExtraNames(
  machineHostName: string,
  hostUrl: string,
  knownHosts: readonly string[] = [],
): Set<string> {
  const names = new Set<string>();
  for (const host of knownHosts) {
    const name = hostNameOf(host);
    if (name) names.add(name);
  }
  const machine = machineHostName.trim().toLowerCase().replace(/\.$/, '');
  if (machine) names.add(machine);
  if (hostUrl && URL.canParse(hostUrl)) {
    const name = hostNameOf(new URL(hostUrl).host);
    if (name) names.add(name);
  }
  return names;
}
