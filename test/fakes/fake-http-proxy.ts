/**
 * A fake forward proxy for OUTBOUND_PROXY tests: a node:http server on 127.0.0.1:0 that answers
 * CONNECT the way Clash, v2rayN or Squid do — 200 and then bytes piped both ways — and records each
 * tunnel (target, Proxy-Authorization). With credentials set it answers 407 to a CONNECT without
 * them; it can also be told to answer every CONNECT with a given status (a proxy that cannot reach
 * the target answers 502), or never to answer at all. Plain requests (no CONNECT) get 405: the gateway must always tunnel. It
 * counts the bytes its tunnels carry towards the targets.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyTunnel {
  /** The CONNECT target, `host:port`. */
  target: string;
  proxyAuthorization: string | undefined;
}

export interface FakeHttpProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  tunnels: ProxyTunnel[];
  /** Plain (non-CONNECT) requests seen: each a request the proxy could read in the clear. */
  plainRequests: string[];
  /**
   * Bytes the tunnels carried towards the targets. Tunnels are kept alive and reused, so a request
   * need not open one: this is what shows that it went through the proxy.
   */
  bytesToTargets(): number;
  /** Require `Proxy-Authorization: Basic base64(user:password)`; undefined: no credentials. */
  requireCredentials(credentials: { user: string; password: string } | undefined): void;
  /** Answer every CONNECT with this status instead of tunnelling; undefined: tunnel. */
  refuseWith(status: number | undefined): void;
  /** Accept CONNECTs and never answer them (a stuck proxy app, a wrong port that stays silent). */
  stayMute(on: boolean): void;
  /**
   * Resolve a host name as the proxy's own DNS does (a host the gateway's network cannot reach,
   * reached by the proxy): CONNECTs to `name` go to `address`.
   */
  resolveAs(name: string, address: string): void;
  close(): Promise<void>;
}

export async function startFakeHttpProxy(): Promise<FakeHttpProxy> {
  const tunnels: ProxyTunnel[] = [];
  const plainRequests: string[] = [];
  const sockets = new Set<Socket>();
  let expectedAuth: string | undefined;
  let refusal: number | undefined;
  let mute = false;
  let bytesUp = 0;
  const hosts = new Map<string, string>();

  const server = createServer((req, res) => {
    plainRequests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(405).end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const proxyAuthorization = req.headers['proxy-authorization'];
    tunnels.push({ target, proxyAuthorization });
    client.on('error', () => {});
    if (expectedAuth !== undefined && proxyAuthorization !== expectedAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    if (mute) return;
    if (refusal !== undefined) {
      client.end(`HTTP/1.1 ${refusal} Refused\r\n\r\n`);
      return;
    }
    const colon = target.lastIndexOf(':');
    const host = target.slice(0, colon).replace(/^\[|\]$/g, '');
    const upstream = connect(Number(target.slice(colon + 1)), hosts.get(host) ?? host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      bytesUp += head.length;
      client.on('data', (chunk: Buffer) => (bytesUp += chunk.length));
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    plainRequests,
    bytesToTargets: () => bytesUp,
    requireCredentials(credentials) {
      expectedAuth = credentials
        ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
        : undefined;
    },
    refuseWith(status) {
      refusal = status;
    },
    stayMute(on) {
      mute = on;
    },
    resolveAs(name, address) {
      hosts.set(name, address);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
