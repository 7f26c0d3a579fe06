/**
 * The loud log warning for a listener beyond this computer guarded by the default password: anyone
 * who can reach the port can spend the owner's Gemini keys. Headless logs it at start, the tray app
 * each time its listener starts or moves (server-host.ts); the dashboard shows its own banner
 * (`default_password_exposed`, status-admin.ts).
 */
import { isLoopbackHost } from './listener-address';

/** PASSWORD's default in both run modes (shared/settings/auth.ts). */
const DEFAULT_PASSWORD = '123';

export const DEFAULT_PASSWORD_WARNING =
  '!!! SECURITY: listening on a network address with the default password "123". Anyone who can reach this port can use your Gemini keys. Set PASSWORD. !!!';

/** The warning for a listener on `host` (as configured) with `password`, or undefined when safe. */
export const exposedPasswordWarning = (host: string, password: string): string | undefined =>
  !isLoopbackHost(host) && password === DEFAULT_PASSWORD ? DEFAULT_PASSWORD_WARNING : undefined;
