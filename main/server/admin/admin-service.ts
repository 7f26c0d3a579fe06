/**
 * The operations behind the admin contract (shared/admin-contract.ts), shared by both transports:
 * Electron IPC and the headless HTTP admin. Every input is validated here, once, with the contract's
 * zod schemas, so neither transport can bypass validation. Secrets leave only through revealSecret.
 * Each part of the contract lives in its own module next to this one.
 */
import type { AdminApi } from '../../../shared/admin-contract';
import type { GatewayCore } from '../core';
import { createAccessKeyAdmin } from './access-key-admin';
import type { AdminHost } from './admin-host';
import { createGalleryAdmin } from './gallery-admin';
import { createKeyAdmin } from './key-admin';
import { createSettingsAdmin } from './settings-admin';
import { createStatusAdmin } from './status-admin';
import { createUsageLogAdmin } from './usage-log-admin';
import { createXaiKeyAdmin } from './xai-key-admin';

export type { AdminHost, ListenerStatus } from './admin-host';
export { createAccessKeyAdmin, type AccessKeyAdminDeps } from './access-key-admin';

export function createAdminService(core: GatewayCore, host: AdminHost): AdminApi {
  return {
    ...createStatusAdmin(core, host),
    ...createSettingsAdmin(core, host),
    ...createKeyAdmin(core, host),
    ...createXaiKeyAdmin(core),
    ...createAccessKeyAdmin(core),
    ...createUsageLogAdmin(core),
    ...createGalleryAdmin(core, host),
  };
}
