/**
 * Why a listener could not start: in English words the log shows as they are
 * (GatewayStatus.listenError, e.g. "port 7860 is in use"), and as a code the window and the tray word
 * in their own language (GatewayStatus.listenProblem, shared/listen-problem.ts). An unknown cause has
 * only the English words, which both then show as they are.
 */
import type { ListenProblem } from '../../shared/admin-dto';
import { settingList, type ListenProblemWords } from '../../shared/listen-problem';

export interface ListenFailure {
  message: string;
  problem?: ListenProblem;
}

/**
 * The listener's own English words for each known cause: the log's, and the English tray's
 * (tray-i18n.ts), so both read alike.
 */
export const LISTEN_WORDS_EN: ListenProblemWords = {
  port_in_use: (port) => `port ${port} is in use`,
  port_denied: (port) => `permission denied to listen on port ${port}`,
  address_unavailable: (host) => `address ${host} is not available on this computer`,
  host_unresolved: (host) => `host name ${host} cannot be resolved`,
  secrets_unreadable: (keys) => {
    const names = settingList(keys, 'en', (name) => `"${name}"`);
    const [settingWord, them] = keys.length > 1 ? ['settings', 'them'] : ['setting', 'it'];
    return (
      `the saved ${settingWord} ${names} could not be decrypted (the system keychain may be locked or ` +
      `unavailable), so the server does not listen: unlock the keychain and restart Gemgate, or set a ` +
      `new value for ${them} in Settings`
    );
  },
  stillServing: (error, address) => `${error} (still serving on ${address})`,
};

export function describeListenError(err: unknown, host: string, port: number): ListenFailure {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'EADDRINUSE':
      return { message: LISTEN_WORDS_EN.port_in_use(port), problem: { code: 'port_in_use', port } };
    case 'EACCES':
      return {
        message: LISTEN_WORDS_EN.port_denied(port),
        problem: { code: 'port_denied', port },
      };
    case 'EADDRNOTAVAIL':
      return {
        message: LISTEN_WORDS_EN.address_unavailable(host),
        problem: { code: 'address_unavailable', host },
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        message: LISTEN_WORDS_EN.host_unresolved(host),
        problem: { code: 'host_unresolved', host },
      };
    default:
      return { message: err instanceof Error ? err.message : String(err) };
  }
}

/** A failed move to a new address: the old listener still serves at `address` (no /v1). */
export function stillServingFailure({ message, problem }: ListenFailure, address: string): ListenFailure {
  return {
    message: LISTEN_WORDS_EN.stillServing(message, address),
    ...(problem ? { problem: { ...problem, stillServing: address } } : {}),
  };
}

/** The address a client on this computer uses: a wildcard bind is reached through loopback. */
export function clientBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const literal = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${literal}:${port}/v1`;
}
