/**
 * Why a listener could not start: in English words the log shows as they are
 * (GatewayStatus.listenError, e.g. "port 7860 is in use"), and as a code the window and the tray word
 * in their own language (GatewayStatus.listenProblem, shared/listen-problem.ts). An unknown cause has
 * only the English words, which both then show as they are.
 */
import type { ListenProblem } from '../../shared/admin-dto';

export interface ListenFailure {
  message: string;
  problem?: ListenProblem;
}

export function describeListenError(err: unknown, host: string, port: number): ListenFailure {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'EADDRINUSE':
      return { message: `port ${port} is in use`, problem: { code: 'port_in_use', port } };
    case 'EACCES':
      return {
        message: `permission denied to listen on port ${port}`,
        problem: { code: 'port_denied', port },
      };
    case 'EADDRNOTAVAIL':
      return {
        message: `address ${host} is not available on this computer`,
        problem: { code: 'address_unavailable', host },
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        message: `host name ${host} cannot be resolved`,
        problem: { code: 'host_unresolved', host },
      };
    default:
      return { message: err instanceof Error ? err.message : String(err) };
  }
}

/** The address a client on this computer uses: a wildcard bind is reached through loopback. */
export function clientBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const literal = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${literal}:${port}/v1`;
}
