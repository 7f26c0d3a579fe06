/**
 * An error of an admin call as the window shows it: the server's error codes it knows in its own
 * language (the server's messages are English, for the API and the log), anything else as reported.
 */
import type { MessageKey, Translate } from '../i18n/index';
import { AdminError, errorMessage } from './admin-error';

/** Server error codes (main/server/errors.ts) the window words itself. */
const ERROR_KEYS: Partial<Record<string, MessageKey>> = {
  // On the login page the one cause; elsewhere the session ended and the login page takes over.
  admin_unauthorized: 'error.admin_unauthorized',
  auth_attempts_exceeded: 'error.auth_attempts_exceeded',
};

export function errorText(err: unknown, t: Translate): string {
  if (!(err instanceof AdminError)) return errorMessage(err);
  if (err.code === 'network_error') return t('error.network', { message: err.message });
  const key = ERROR_KEYS[err.code];
  return key ? t(key) : err.message;
}
