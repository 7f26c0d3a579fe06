/**
 * A keep-alive connection that has presented the right password once does not need it hashed and
 * compared again on every request that follows. The token is remembered per connection, and a later
 * token is compared with `===` only against that connection's own earlier, proven-correct token:
 * a caller who does not know the password has no entry to compare with, so nothing about the
 * password leaks through timing. A changed password no longer matches the remembered one.
 */
import { secretEquals } from './constant-time';

const proven = new WeakMap<object, { token: string; password: string }>();

/** Whether `token` is the password, for a request on `connection` (its socket). */
export function isPassword(connection: object | null | undefined, token: string, password: string): boolean {
  const known = connection ? proven.get(connection) : undefined;
  if (known !== undefined && known.password === password && known.token === token) return true;
  if (!secretEquals(token, password)) return false;
  if (connection) proven.set(connection, { token, password });
  return true;
}
