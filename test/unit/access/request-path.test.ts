/**
 * request-path: the path access rules judge a request by must be the path the router runs, not the
 * raw request-target (percent-encoded and absolute-form targets reach the same handlers); and
 * secretEquals, the constant-time comparison every password check goes through.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDialectOf } from '../../../main/server/access/api-dialect';
import { secretEquals } from '../../../main/server/access/constant-time';
import { decodedPath, routedPath } from '../../../main/server/access/request-path';

describe('decodedPath', () => {
  it.each([
    ['/v1/models', '/v1/models'],
    ['/v1/models?key=x', '/v1/models'],
    ['/v1/models#frag', '/v1/models'],
    ['/%761/models', '/v1/models'],
    ['/%61dmin/api/login', '/admin/api/login'],
    ['http://host:7860/v1/models?x=1', '/v1/models'],
    ['HTTPS://host/v1beta/models', '/v1beta/models'],
    ['http://host', ''],
    ['/bad%zzescape', '/bad%zzescape'],
  ])('%s → %s', (url, path) => {
    expect(decodedPath(url)).toBe(path);
  });
});

describe('routedPath (against a real router)', () => {
  let app: FastifyInstance;
  const seen: string[] = [];
  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRequest', async (request) => {
      seen.push(routedPath(request));
    });
    app.get('/v1/models', async () => 'ok');
    app.get('/admin/api/keys/:id', async () => 'ok');
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['/v1/models', 200, '/v1/models'],
    ['/%761/models', 200, '/v1/models'],
    ['/v1/%6dodels?x=1', 200, '/v1/models'],
    ['/admin/api/keys/%61', 200, '/admin/api/keys/:id'],
    ['/%761beta/anything', 404, '/v1beta/anything'],
  ])('%s is routed as %s', async (url, status, path) => {
    seen.length = 0;
    const reply = await app.inject({ url });
    expect(reply.statusCode).toBe(status);
    expect(seen).toEqual([path]);
  });

  it('the dialect follows the routed path', () => {
    expect(apiDialectOf('POST', decodedPath('/%761/chat/completions'))).toBe('openai');
    expect(apiDialectOf('GET', decodedPath('http://h/v1beta/models'))).toBe('gemini');
    expect(apiDialectOf('GET', decodedPath('/gemini/v1beta/models'))).toBe('gemini');
    expect(apiDialectOf('GET', decodedPath('/health'))).toBeUndefined();
    expect(apiDialectOf('GET', decodedPath('/v1'))).toBeUndefined();
  });

  it("Google's v1 model methods and upload paths are Gemini; OpenAI keeps GET /v1/models", () => {
    expect(apiDialectOf('POST', '/v1/models/:name')).toBe('gemini');
    expect(apiDialectOf('POST', decodedPath('/v1/models/gemini-2.5-flash:generateContent'))).toBe('gemini');
    expect(apiDialectOf('POST', '/upload/v1beta/files')).toBe('gemini');
    expect(apiDialectOf('GET', '/v1/models')).toBe('openai');
    expect(apiDialectOf('GET', '/v1/models/:id')).toBe('openai');
    expect(apiDialectOf('POST', '/v1/models')).toBe('openai');
    expect(apiDialectOf('POST', '/v1/chat/completions')).toBe('openai');
  });
});

describe('secretEquals', () => {
  it('is true only for the identical string, whatever the lengths', () => {
    expect(secretEquals('123', '123')).toBe(true);
    expect(secretEquals('', '')).toBe(true);
    expect(secretEquals('123', '1234')).toBe(false);
    expect(secretEquals('1234', '123')).toBe(false);
    expect(secretEquals('abc', 'ABC')).toBe(false);
    expect(secretEquals('', '123')).toBe(false);
    expect(secretEquals('pässwörd', 'pässwörd')).toBe(true);
    expect(secretEquals('x'.repeat(10_000), 'x'.repeat(10_000))).toBe(true);
  });
});
