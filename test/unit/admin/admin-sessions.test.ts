/**
 * AdminSessions and the installation secret: issued tokens verify until they expire, any change to
 * body or signature is refused, another secret or another admin password refuses them, logout
 * revokes one token only; the secret is 32 random bytes in DATA_DIR/admin-secret (0600), created
 * once and replaced when unreadable.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminSessions, SESSION_TTL_MS, loadOrCreateSecret } from '../../../main/server/admin/admin-sessions';

let dir: string;
let clock: number;
let password: string;
let secret: Buffer;
const sessions = (withSecret = secret) =>
  new AdminSessions(
    withSecret,
    () => password,
    () => clock,
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gemgate-admin-'));
  clock = Date.UTC(2030, 0, 1);
  password = 'Admin-Pass-1';
  secret = loadOrCreateSecret(dir);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('issue / verify', () => {
  it('a fresh token verifies; it carries its expiry, 12 h ahead', () => {
    const s = sessions();
    const { token, expiresAt } = s.issue();
    expect(expiresAt).toBe(clock + SESSION_TTL_MS);
    expect(s.verify(token)).toBe(true);
    const payload = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
      exp: number;
      sid: string;
    };
    expect(payload.exp).toBe(expiresAt);
    expect(payload.sid.length).toBeGreaterThanOrEqual(16);
    expect(s.issue().token).not.toBe(token);
  });

  it('expires at exp exactly', () => {
    const s = sessions();
    const { token } = s.issue();
    clock += SESSION_TTL_MS - 1;
    expect(s.verify(token)).toBe(true);
    clock += 1;
    expect(s.verify(token)).toBe(false);
  });

  it('refuses tampered bodies and signatures, and malformed tokens', () => {
    const s = sessions();
    const { token } = s.issue();
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as { exp: number; sid: string };
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    for (const forged of [
      `${b64({ ...payload, exp: payload.exp + 1 })}.${signature}`,
      `${b64({ ...payload, sid: 'other' })}.${signature}`,
      `${body}.${flip(signature, 0)}`,
      `${body}.${flip(signature, signature.length - 1)}`,
      `${body}.${signature.slice(0, -1)}`,
      `${flip(body, 3)}.${signature}`,
      `${body}.${signature}.extra`,
      `.${signature}`,
      `${body}.`,
      body,
      '',
      undefined,
    ]) {
      expect(s.verify(forged), String(forged)).toBe(false);
    }
  });

  it('a token from another installation (another secret) is refused', () => {
    const other = sessions(Buffer.alloc(32, 7));
    expect(sessions().verify(other.issue().token)).toBe(false);
  });

  it('changing the admin password ends every session', () => {
    const s = sessions();
    const { token } = s.issue();
    password = 'Admin-Pass-2';
    expect(s.verify(token)).toBe(false);
    expect(s.verify(s.issue().token)).toBe(true);
  });
});

describe('revoke (logout)', () => {
  it('revokes that token only, for good', () => {
    const s = sessions();
    const a = s.issue().token;
    const b = s.issue().token;
    s.revoke(a);
    expect(s.verify(a)).toBe(false);
    expect(s.verify(b)).toBe(true);
    clock += 1000;
    expect(s.verify(a)).toBe(false);
  });

  it('ignores tokens it did not sign (nobody can revoke others’ sessions with garbage)', () => {
    const s = sessions();
    const { token } = s.issue();
    s.revoke('garbage');
    s.revoke(undefined);
    s.revoke(`${token.split('.')[0]}.forged`);
    expect(s.verify(token)).toBe(true);
  });
});

describe('loadOrCreateSecret', () => {
  it('creates 32 random bytes as hex in admin-secret, mode 0600, and reuses them', () => {
    const path = join(dir, 'admin-secret');
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.equals(Buffer.from(text, 'hex'))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dir).equals(secret)).toBe(true);

    const elsewhere = mkdtempSync(join(tmpdir(), 'gemgate-admin-other-'));
    try {
      expect(loadOrCreateSecret(elsewhere).equals(secret)).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('replaces an unreadable secret with a new random one', () => {
    const path = join(dir, 'admin-secret');
    for (const bad of ['', 'not hex', '00'.repeat(16), 'G'.repeat(64)]) {
      writeFileSync(path, bad);
      const fresh = loadOrCreateSecret(dir);
      expect(fresh).toHaveLength(32);
      expect(readFileSync(path, 'utf8')).toBe(fresh.toString('hex'));
    }
    // Surrounding whitespace (an editor's newline) is fine.
    writeFileSync(path, `${secret.toString('hex')}\n`);
    expect(loadOrCreateSecret(dir).equals(secret)).toBe(true);
  });
});
