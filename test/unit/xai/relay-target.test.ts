/**
 * relay-target.ts: the only upstream URLs the xAI relay can build are XAI_BASE_URL + /v1/…; every
 * trick that could reach another host or climb out of the base path is refused, never normalised.
 */
import { describe, expect, it } from 'vitest';
import { relayTarget } from '../../../main/server/providers/xai/relay-target';

const BASE = 'https://api.x.ai';

const urlOf = (raw: string, base = BASE) => {
  const target = relayTarget(raw, base);
  if (!target.ok) throw new Error(`refused: ${target.reason}`);
  return target;
};

describe('relayTarget: accepted', () => {
  it.each([
    ['/xai/v1/chat/completions', 'https://api.x.ai/v1/chat/completions', '/v1/chat/completions'],
    ['/xai/v1/models', 'https://api.x.ai/v1/models', '/v1/models'],
    ['/xai/v1/models/grok-4', 'https://api.x.ai/v1/models/grok-4', '/v1/models/grok-4'],
    ['/xai/v1/models?limit=5&x=a/b?c', 'https://api.x.ai/v1/models?limit=5&x=a/b?c', '/v1/models'],
    ['/xai/v1/chat/%63ompletions', 'https://api.x.ai/v1/chat/%63ompletions', '/v1/chat/completions'],
    ['/xai/v1/files/a%20b', 'https://api.x.ai/v1/files/a%20b', '/v1/files/a b'],
    ['/xai/v1/models/', 'https://api.x.ai/v1/models/', '/v1/models/'],
    ['/xai/v1/a.b/..c/...', 'https://api.x.ai/v1/a.b/..c/...', '/v1/a.b/..c/...'],
  ])('%s → %s', (raw, url, path) => {
    expect(urlOf(raw)).toEqual({ ok: true, url, path });
  });

  it('keeps the path and port of the base URL; a trailing / or /v1 on it is not doubled', () => {
    expect(urlOf('/xai/v1/models', 'http://127.0.0.1:8080').url).toBe('http://127.0.0.1:8080/v1/models');
    expect(urlOf('/xai/v1/models', 'https://gw.example/xai-up/').url).toBe(
      'https://gw.example/xai-up/v1/models',
    );
    expect(urlOf('/xai/v1/models', 'https://api.x.ai/v1').url).toBe('https://api.x.ai/v1/models');
    expect(urlOf('/xai/v1/models', 'https://api.x.ai/v1/').url).toBe('https://api.x.ai/v1/models');
  });
});

describe('relayTarget: refused', () => {
  it.each([
    // absolute-form and other non-origin forms
    'http://evil.example/xai/v1/models',
    'https://api.x.ai/xai/v1/models',
    '//evil.example/xai/v1/models',
    '*',
    'evil.example:443',
    // dot segments, raw and encoded
    '/xai/v1/../../x',
    '/xai/v1/..',
    '/xai/v1/./models',
    '/xai/v1/%2e%2e/',
    '/xai/v1/%2E%2E/%2e%2e/evil',
    '/xai/v1/.%2e/x',
    '/xai/v1/%2e/models',
    // encoded slashes and backslashes
    '/xai/v1/..%2f..%2fx',
    '/xai/v1/a%2Fb',
    '/xai/v1/a%5cb',
    '/xai/v1/a\\..\\b',
    // empty segments, characters a URL parser would rewrite, bad escapes
    '/xai/v1//evil.example/x',
    '/xai/v1/a b',
    '/xai/v1/a%zz',
    '/xai/v1/a%ff',
    '/xai/v1/a%00b',
    '/xai/v1/models?x=<script>',
    '/xai/v1/models#frag',
  ])('%s → 400', (raw) => {
    const target = relayTarget(raw, BASE);
    expect(target.ok).toBe(false);
    expect(target.ok ? 0 : target.status).toBe(400);
  });

  it.each([
    '/xai/http://evil.example/',
    '/xai/v2/models',
    '/xai/',
    '/xai/v1x',
    '/v1/models',
    '/%78ai/v1/models',
  ])('%s is outside /xai/v1 → 404', (raw) => {
    const target = relayTarget(raw, BASE);
    expect(target).toMatchObject({ ok: false, status: 404 });
  });

  it('a base URL that is not http(s) relays nothing', () => {
    expect(relayTarget('/xai/v1/models', 'file:///etc').ok).toBe(false);
    expect(relayTarget('/xai/v1/models', 'not a url').ok).toBe(false);
  });
});
