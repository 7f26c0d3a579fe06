/**
 * Admin sessions for the web admin (ADMIN_PASSWORD, defaulting to PASSWORD). A session is a signed
 * bearer token, not a cookie: the admin UI sends it explicitly, so no other site can ride on it
 * (no CSRF), and the admin routes never answer cross-origin requests.
 *
 * Tokens are HMAC-SHA256-signed with a random secret generated once per installation and kept in
 * DATA_DIR (never a constant in code). The signing key also mixes in the current admin password, so
 * changing the password ends every session. Logout revokes a token until it would have expired.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../storage/atomic-file';

export const SESSION_TTL_MS = 12 * 3600_000;
const SECRET_FILE = 'admin-secret';

export function loadOrCreateSecret(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_FILE);
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  writeFileAtomicSync(path, secret.toString('hex'));
  return secret;
}

interface Payload {
  /** Expiry, unix ms. */
  exp: number;
  /** Random id, for revocation. */
  sid: string;
}

export class AdminSessions {
  readonly #secret: Buffer;
  readonly #now: () => number;
  readonly #adminPassword: () => string;
  readonly #revoked = new Map<string, number>();

  constructor(secret: Buffer, adminPassword: () => string, now: () => number) {
    this.#secret = secret;
    this.#adminPassword = adminPassword;
    this.#now = now;
  }

  issue(): { token: string; expiresAt: number } {
    const payload: Payload = {
      exp: this.#now() + SESSION_TTL_MS,
      sid: randomBytes(12).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { token: `${body}.${this.#sign(body)}`, expiresAt: payload.exp };
  }

  verify(token: string | undefined): boolean {
    const payload = this.#decode(token);
    return payload !== undefined && !this.#revoked.has(payload.sid);
  }

  revoke(token: string | undefined): void {
    const payload = this.#decode(token);
    if (!payload) return;
    this.#revoked.set(payload.sid, payload.exp);
    const now = this.#now();
    for (const [sid, exp] of this.#revoked) if (exp <= now) this.#revoked.delete(sid);
  }

  #sign(body: string): string {
    const key = createHmac('sha256', this.#secret).update(this.#adminPassword()).digest();
    return createHmac('sha256', key).update(body).digest('base64url');
  }

  #decode(token: string | undefined): Payload | undefined {
    if (!token) return undefined;
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      if (typeof payload.exp !== 'number' || typeof payload.sid !== 'string') return undefined;
      return payload.exp > this.#now() ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}
