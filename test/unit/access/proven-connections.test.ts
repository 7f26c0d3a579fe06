import { describe, expect, it } from 'vitest';
import { isPassword } from '../../../main/server/access/proven-connections';

describe('isPassword', () => {
  it('accepts the password and refuses anything else, on a connection proven or not', () => {
    const connection = {};
    expect(isPassword(connection, 'wrong', 'secret-1')).toBe(false);
    expect(isPassword(connection, 'secret-1', 'secret-1')).toBe(true);
    expect(isPassword(connection, 'secret-1', 'secret-1')).toBe(true);
    expect(isPassword(connection, 'secret-', 'secret-1')).toBe(false);
    expect(isPassword(connection, 'secret-1x', 'secret-1')).toBe(false);
    expect(isPassword({}, 'wrong', 'secret-1')).toBe(false);
    expect(isPassword(undefined, 'secret-1', 'secret-1')).toBe(true);
    expect(isPassword(null, 'nope', 'secret-1')).toBe(false);
  });

  it('forgets a proven token once the password changes', () => {
    const connection = {};
    expect(isPassword(connection, 'old-pass', 'old-pass')).toBe(true);
    expect(isPassword(connection, 'old-pass', 'new-pass')).toBe(false);
    expect(isPassword(connection, 'new-pass', 'new-pass')).toBe(true);
    expect(isPassword(connection, 'old-pass', 'new-pass')).toBe(false);
  });
});
