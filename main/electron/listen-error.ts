/**
 * Why a listener could not start, in words the window and the tray can show as they are
 * (GatewayStatus.listenError), e.g. "port 7860 is in use".
 */
export function describeListenError(err: unknown, host: string, port: number): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is in use`;
    case 'EACCES':
      return `permission denied to listen on port ${port}`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not available on this computer`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name ${host} cannot be resolved`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** The address a client on this computer uses: a wildcard bind is reached through loopback. */
export function clientBaseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const literal = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${literal}:${port}/v1`;
}
