import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../main/server/logging/redact';

const GOOGLE_KEY = 'AIzaSyA1234567890abcdefghijklmnopqr9xQk'; // 39 characters, like a real key
const XAI_KEY = `xai-${'Ab3'.repeat(26)}Zz`;
const ACCESS_KEY = 'sk-gemgate-0123456789abcdefXYZ';

describe('redactSecrets', () => {
  it.each([
    ['a Google API key', `bad key ${GOOGLE_KEY}.`, 'bad key AIza…9xQk.'],
    [
      'a key= query parameter',
      'GET /v1beta/models?key=hunter2-secret&alt=sse',
      'GET /v1beta/models?key=****&alt=sse',
    ],
    ['an api_key= parameter', 'api_key=abc123', 'api_key=****'],
    ['a Google key in key=', `?key=${GOOGLE_KEY}`, '?key=AIza…9xQk'],
    ['a Bearer token', 'Authorization: Bearer tok.en-123', 'Authorization: Bearer ****'],
    ['a long Bearer token', `authorization: bearer ${ACCESS_KEY}`, 'authorization: bearer sk-g…fXYZ'],
    ['an xAI key', `key ${XAI_KEY} rejected`, `key xai-…b3Zz rejected`],
    ['an sk- access key', `access key ${ACCESS_KEY}`, 'access key sk-g…fXYZ'],
    ['a short sk- access key', 'use sk-12345678 please', 'use **** please'],
  ])('masks %s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ['ordinary text', 'The model is overloaded. Please try again later.'],
    ['a word ending in key=', 'monkey=banana'],
    ['a short sk- word', 'task-runner sk-1 risk-free'],
    ['a too-short AIza prefix', 'AIzaShort'],
    ['a URL without secrets', 'https://ai.google.dev/gemini-api/docs/rate-limits'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it('masks every occurrence of an extra secret, fully when it is short', () => {
    expect(redactSecrets('login with pass1234 then pass1234', ['pass1234'])).toBe(
      'login with **** then ****',
    );
    const long = 'a-very-long-admin-password-2026';
    expect(redactSecrets(`pw=${long}`, [long])).toBe('pw=a-ve…2026');
  });

  it('ignores extra secrets shorter than 4 characters (the default password "123")', () => {
    expect(redactSecrets('HTTP 123 from 10.0.0.123', ['123', ''])).toBe('HTTP 123 from 10.0.0.123');
  });

  it('never leaves a secret in text that combines them', () => {
    const text = `curl -H "Authorization: Bearer ${ACCESS_KEY}" "https://g/v1beta?key=${GOOGLE_KEY}" ${XAI_KEY} ${GOOGLE_KEY}`;
    const out = redactSecrets(text);
    for (const secret of [ACCESS_KEY, GOOGLE_KEY, XAI_KEY]) expect(out).not.toContain(secret);
  });

  it('handles long adversarial input in one pass', () => {
    const hostile = `${'Bearer '.repeat(20_000)}${'key='.repeat(20_000)}${'sk-'.repeat(20_000)}${'AIza'.repeat(20_000)}`;
    const out = redactSecrets(hostile);
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toMatch(/AIza[0-9A-Za-z_-]{35}/);
  });
});
