/**
 * The `auth <password>` parser and replies, and AuthorisedIps: grants with a TTL or until restart,
 * the wrong-password lockout and its window, and the bounds that keep address-cycling attackers
 * from growing memory.
 */
import { describe, expect, it } from 'vitest';
import { authCommandPassword, authReply, authReplyChunks } from '../../../main/server/access/auth-command';
import { AuthorisedIps, MAX_AUTH_FAILURES } from '../../../main/server/access/authorised-ips';

const last = (content: unknown, earlier: unknown[] = []) => ({
  messages: [...earlier, { role: 'user', content }],
});

describe('authCommandPassword', () => {
  it.each([
    ['auth 123', '123'],
    ['auth Sesame-Open', 'Sesame-Open'],
    ['  auth   MiXeD-Case  \n', 'MiXeD-Case'],
    ['auth correct horse battery staple', 'correct horse battery staple'],
    ['auth\tpw', 'pw'],
  ])('%j → %j', (content, password) => {
    expect(authCommandPassword(last(content))).toBe(password);
  });

  it('keeps the password exactly as typed (case-sensitive)', () => {
    expect(authCommandPassword(last('auth ABCdef'))).toBe('ABCdef');
  });

  it('takes text parts, joined', () => {
    expect(
      authCommandPassword(
        last([
          { type: 'text', text: 'auth ' },
          { type: 'text', text: 'pw' },
        ]),
      ),
    ).toBe('pw');
  });

  it.each([
    ['please auth 123'],
    ['auth'],
    ['auth   '],
    ['auth123'],
    ['authenticate me'],
    ['I said auth 123'],
    [''],
  ])('%j is not the command', (content) => {
    expect(authCommandPassword(last(content))).toBeUndefined();
  });

  it('looks at the last user message only, skipping later assistant or tool turns', () => {
    expect(authCommandPassword(last('hello', [{ role: 'user', content: 'auth 123' }]))).toBeUndefined();
    expect(
      authCommandPassword({
        messages: [
          { role: 'user', content: 'auth 123' },
          { role: 'assistant', content: 'ok' },
        ],
      }),
    ).toBe('123');
    expect(authCommandPassword({ messages: [{ role: 'system', content: 'auth 123' }] })).toBeUndefined();
  });

  it('non-text content, odd parts and malformed bodies are not the command', () => {
    expect(
      authCommandPassword(
        last([
          { type: 'text', text: 'auth 1' },
          { type: 'image_url', image_url: {} },
        ]),
      ),
    ).toBeUndefined();
    expect(authCommandPassword(last([null]))).toBeUndefined();
    expect(authCommandPassword(last(42))).toBeUndefined();
    expect(authCommandPassword(last(null))).toBeUndefined();
    for (const body of [
      undefined,
      null,
      'auth 1',
      [],
      {},
      { messages: 'auth 1' },
      { messages: [null, 'auth 1'] },
    ]) {
      expect(authCommandPassword(body)).toBeUndefined();
    }
  });
});

describe('auth replies', () => {
  it('non-stream: one assistant message, finish_reason stop, zero usage', () => {
    expect(authReply('chatcmpl-1', 100, 'm', 'done')).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 100,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });

  it('stream: role, content, stop — and a usage chunk only when asked', () => {
    const plain = authReplyChunks('id', 1, 'm', 'done', false);
    expect(plain.map((c) => [c.choices[0]?.delta, c.choices[0]?.finish_reason])).toEqual([
      [{ role: 'assistant', content: '' }, null],
      [{ content: 'done' }, null],
      [{}, 'stop'],
    ]);
    expect(plain.every((c) => !('usage' in c))).toBe(true);
    const withUsage = authReplyChunks('id', 1, 'm', 'done', true);
    expect(withUsage).toHaveLength(4);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 0 } });
    expect(withUsage.slice(0, 3).every((c) => c.usage === null)).toBe(true);
  });
});

describe('AuthorisedIps', () => {
  it('grants until restart (Infinity) or for a TTL', () => {
    let clock = 1_000;
    const ips = new AuthorisedIps(() => clock);
    ips.grant('1.1.1.1', Infinity);
    ips.grant('2.2.2.2', 60_000);
    clock += 59_999;
    expect(ips.isAuthorised('2.2.2.2')).toBe(true);
    clock += 1;
    expect(ips.isAuthorised('2.2.2.2')).toBe(false);
    expect(ips.size.grants).toBe(1);
    clock += 1e12;
    expect(ips.isAuthorised('1.1.1.1')).toBe(true);
    expect(ips.isAuthorised('3.3.3.3')).toBe(false);
    ips.revokeAll();
    expect(ips.isAuthorised('1.1.1.1')).toBe(false);
  });

  it(`locks an IP out after ${MAX_AUTH_FAILURES} failures for the rest of a 15-minute window`, () => {
    let clock = 0;
    const ips = new AuthorisedIps(() => clock);
    for (let i = 0; i < MAX_AUTH_FAILURES - 1; i++) ips.recordFailure('1.1.1.1');
    expect(ips.lockedFor('1.1.1.1')).toBe(0);
    clock = 60_000;
    ips.recordFailure('1.1.1.1');
    // The window runs from the first failure.
    expect(ips.lockedFor('1.1.1.1')).toBe(14 * 60);
    expect(ips.lockedFor('2.2.2.2')).toBe(0);
    clock = 15 * 60_000 - 1;
    expect(ips.lockedFor('1.1.1.1')).toBe(1);
    clock = 15 * 60_000;
    expect(ips.lockedFor('1.1.1.1')).toBe(0);
    expect(ips.size.failures).toBe(0);
  });

  it('failures older than the window start a new count; a grant clears them', () => {
    let clock = 0;
    const ips = new AuthorisedIps(() => clock);
    for (let i = 0; i < MAX_AUTH_FAILURES - 1; i++) ips.recordFailure('1.1.1.1');
    clock = 15 * 60_000 + 1;
    ips.recordFailure('1.1.1.1');
    expect(ips.lockedFor('1.1.1.1')).toBe(0);
    for (let i = 0; i < MAX_AUTH_FAILURES - 2; i++) ips.recordFailure('1.1.1.1');
    ips.grant('1.1.1.1', Infinity);
    ips.recordFailure('1.1.1.1');
    expect(ips.lockedFor('1.1.1.1')).toBe(0);
  });

  it('both maps are bounded: 100,000 addresses keep at most 10,000 of each, the newest', () => {
    const ips = new AuthorisedIps(() => 0);
    for (let i = 0; i < 100_000; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      ips.grant(ip, Infinity);
      ips.recordFailure(`f-${ip}`);
    }
    expect(ips.size).toEqual({ grants: 10_000, failures: 10_000 });
    expect(ips.isAuthorised('10.0.0.0')).toBe(false);
    expect(ips.isAuthorised('10.1.134.159')).toBe(true); // i = 99,999
  });
});
