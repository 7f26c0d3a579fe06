/**
 * The zero-logic baseline (DESIGN §9): node:http in front of an undici Pool, Gemini-format bytes piped
 * both ways untouched — no body parsing, no routing, no logging. It is the cheapest any Node proxy
 * can be, so the gateway's budgets are ratios against it.
 *
 * `pool.stream()` hands undici our ServerResponse as the sink: upstream chunks are written to the
 * client as they arrive, with backpressure, and a client that goes away mid-answer aborts the
 * upstream call (undici watches the sink with `finished`).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import { listenAndReport } from './ipc';

const upstream = process.env.UPSTREAM_URL;
if (!upstream) throw new Error('UPSTREAM_URL is required');

// Same connection policy as the gateway's Agent: keep-alive, unbounded connections, no body timeout
// (streams may idle while a model thinks).
const pool = new Pool(upstream, {
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  headersTimeout: 0,
  bodyTimeout: 0,
});

/** Connection-level headers belong to one hop; everything else goes through as is. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'te', 'trailer'];

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

const server = createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  const method = req.method ?? 'GET';
  pool.stream(
    {
      path: req.url ?? '/',
      method,
      headers: endToEnd(req.headers),
      body: method === 'GET' || method === 'HEAD' ? null : req,
    },
    ({ statusCode, headers }) => {
      res.writeHead(statusCode, endToEnd(headers));
      return res;
    },
    (err) => {
      if (!err) return;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(err.message);
      else res.destroy(err);
    },
  );
});
listenAndReport(server);
