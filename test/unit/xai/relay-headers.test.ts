/** relay-headers.ts: hop-by-hop headers never cross the relay, in either direction. */
import { describe, expect, it } from 'vitest';
import {
  clientResponseHeaders,
  connectionListed,
  upstreamRequestHeaders,
} from '../../../main/server/providers/xai/relay-headers';

const incoming = {
  host: 'gateway.example',
  authorization: 'Bearer gateway-password',
  'x-goog-api-key': 'gateway-password',
  connection: 'keep-alive, X-Hop-Custom',
  'keep-alive': 'timeout=5',
  'transfer-encoding': 'chunked',
  upgrade: 'websocket',
  te: 'trailers',
  trailer: 'x-checksum',
  'proxy-authorization': 'Basic abc',
  'proxy-connection': 'keep-alive',
  'x-hop-custom': '1',
  expect: '100-continue',
  'x-forwarded-for': '203.0.113.9',
  forwarded: 'for=203.0.113.9',
  'content-type': 'application/json',
  'content-length': '42',
  accept: 'text/event-stream',
  'accept-encoding': 'gzip',
  'user-agent': 'OpenAI/JS 6.49.0',
  'x-stainless-lang': 'js',
  cookie: ['a=1', 'b=2'],
  'x-undefined': undefined,
};

describe('upstreamRequestHeaders', () => {
  it('keeps end-to-end headers, drops hop-by-hop and Connection-listed ones, swaps the credential', () => {
    expect(upstreamRequestHeaders(incoming, 'xai-own', { streamedBody: true, pooledKey: false })).toEqual({
      authorization: 'Bearer xai-own',
      'content-type': 'application/json',
      'content-length': '42',
      accept: 'text/event-stream',
      'accept-encoding': 'gzip',
      'user-agent': 'OpenAI/JS 6.49.0',
      'x-stainless-lang': 'js',
    });
  });

  it('never forwards cookies nor any other key header: they may carry the gateway password or an access key', () => {
    const out = upstreamRequestHeaders(
      {
        Cookie: 'gemgate_admin=session-token',
        'X-Api-Key': 'gateway-password',
        'api-key': 'sk-gemgate-access-key',
        'x-goog-api-key': 'gateway-password',
        authorization: 'Bearer gateway-password',
        'content-type': 'application/json',
      },
      'xai-pooled',
      { streamedBody: false, pooledKey: true },
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      'accept-encoding': 'identity',
      authorization: 'Bearer xai-pooled',
    });
  });

  it('a body held in memory gets its length from the client library, not from the caller', () => {
    const out = upstreamRequestHeaders(incoming, 'k', { streamedBody: false, pooledKey: false });
    expect(out['content-length']).toBeUndefined();
  });

  it('a pooled key asks for an uncompressed answer (the gateway reads its errors), whatever the caller accepts', () => {
    const out = upstreamRequestHeaders(incoming, 'xai-pooled', { streamedBody: true, pooledKey: true });
    expect(out['accept-encoding']).toBe('identity');
    const mixedCase = upstreamRequestHeaders({ 'Accept-Encoding': 'br, gzip' }, 'xai-pooled', {
      streamedBody: false,
      pooledKey: true,
    });
    expect(mixedCase).toEqual({ 'accept-encoding': 'identity', authorization: 'Bearer xai-pooled' });
  });

  it('header names are matched without regard to case', () => {
    const out = upstreamRequestHeaders({ Connection: 'close, X-A', 'X-A': '1', 'X-B': '2', TE: 'x' }, 'k', {
      streamedBody: false,
      pooledKey: false,
    });
    expect(out).toEqual({ 'x-b': '2', authorization: 'Bearer k' });
  });
});

describe('clientResponseHeaders', () => {
  const upstream = {
    'content-type': 'text/event-stream',
    'content-length': '100',
    'content-encoding': 'gzip',
    connection: 'keep-alive, x-upstream-hop',
    'keep-alive': 'timeout=1234',
    'transfer-encoding': 'chunked',
    trailer: 'x-sum',
    upgrade: 'h2c',
    'proxy-authenticate': 'Basic',
    'x-upstream-hop': 'secret',
    'set-cookie': ['__cf_bm=1; Domain=x.ai'],
    'access-control-allow-origin': 'https://evil.example',
    'x-request-id': 'abc',
    'retry-after': '3',
  };

  it('keeps end-to-end headers, drops hop-by-hop ones, x.ai cookies and its CORS headers', () => {
    expect(clientResponseHeaders(upstream, { fromMemory: false })).toEqual({
      'content-type': 'text/event-stream',
      'content-length': '100',
      'content-encoding': 'gzip',
      'x-request-id': 'abc',
      'retry-after': '3',
    });
  });

  it('a body sent from memory does not copy the upstream Content-Length', () => {
    expect(clientResponseHeaders(upstream, { fromMemory: true })['content-length']).toBeUndefined();
  });
});

describe('connectionListed', () => {
  it('collects the names of every Connection header, lower-cased', () => {
    expect([...connectionListed({ connection: ['Keep-Alive, X-One', ' x-two ,,'] })]).toEqual([
      'keep-alive',
      'x-one',
      'x-two',
    ]);
    expect(connectionListed({}).size).toBe(0);
  });
});
