/**
 * One error type for both transports, so pages never care whether a call went over IPC or HTTP.
 * `code` is the server's stable error code (errors.ts catalogue) when it sent one.
 */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** The session is gone (expired, revoked, admin password changed): the window must sign in again. */
export const isUnauthorized = (err: unknown): boolean =>
  err instanceof AdminError && err.status === 401 && err.code === 'admin_unauthorized';

export const errorMessage = (err: unknown): string =>
  err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
