/**
 * The Files API is not relayed (wire-format §1.2). The @google/genai SDK's files.upload and
 * files.list, and any raw call under /v1beta/files or /upload/v1beta/files, get Google's 404 shape
 * with a message that says so and what to do instead (inline data) — after the usual Gemini-style
 * access check, never OpenAI's shape, and Google is never called.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { describe, expect, it } from 'vitest';
import type { FakeGemini } from '../fakes/fake-gemini';
import type { TestGateway } from '../support/gateway';
import { gatewayPerFile } from '../support/gateway-per-file';

const PASSWORD = 'files-gateway-password-5d20';

let fake: FakeGemini;
let gw: TestGateway;

gatewayPerFile((started) => ({ fake, gw } = started), { settings: { password: PASSWORD } });

const NOT_RELAYED = /Files API is not relayed.*inline data/;

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{"file":{"displayName":"a.txt"}}' }),
  });
  return { status: res.status, json: (await res.json()) as { error?: Record<string, unknown> } };
}

describe('the Files API', () => {
  it('the SDK’s upload and list fail with a 404 that says files are not relayed', async () => {
    const ai = new GoogleGenAI({ apiKey: PASSWORD, httpOptions: { baseUrl: gw.url, apiVersion: 'v1beta' } });
    const upload = await ai.files
      .upload({ file: new Blob(['hello'], { type: 'text/plain' }), config: { mimeType: 'text/plain' } })
      .catch((e: unknown) => e);
    expect(upload).toBeInstanceOf(Error);
    expect(String((upload as Error).message)).toMatch(NOT_RELAYED);

    const list = await ai.files.list().catch((e: unknown) => e);
    expect(list).toBeInstanceOf(ApiError);
    expect((list as ApiError).status).toBe(404);
    expect((list as ApiError).message).toMatch(NOT_RELAYED);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['POST', '/upload/v1beta/files'],
    ['POST', '/upload/v1beta/files?uploadType=resumable'],
    ['POST', '/gemini/upload/v1beta/files'],
    ['GET', '/v1beta/files'],
    ['GET', '/v1beta/files/abc-123'],
    ['DELETE', '/v1beta/files/abc-123'],
    ['GET', '/gemini/v1beta/files'],
  ])('%s %s → Google’s 404 in Google’s shape', async (method, path) => {
    const res = await call(method, path, { 'x-goog-api-key': PASSWORD });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { code: 404, status: 'NOT_FOUND', message: expect.stringMatching(NOT_RELAYED) as unknown },
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('without a key the access check answers first, in Google’s shape too', async () => {
    for (const path of ['/upload/v1beta/files', '/v1beta/files']) {
      const res = await call(path.startsWith('/upload') ? 'POST' : 'GET', path);
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
      expect(res.json.error?.message).toContain('x-goog-api-key');
    }
  });
});
