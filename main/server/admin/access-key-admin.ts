/**
 * The access-key part of the admin contract: all the keys CLI needs, so it also runs straight on
 * DATA_DIR without a core (main/keys-cli.ts).
 */
import {
  accessKeyInputSchema,
  accessKeyPatchSchema,
  type AccessKeyAdmin,
  type AccessKeyDto,
  type CreatedAccessKey,
} from '../../../shared/admin-contract';
import type { AccessKeyRecord } from '../access/access-keys';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { parseBody } from '../openai/parse-request';

const toDto = (r: AccessKeyRecord, now: number): AccessKeyDto => ({
  id: r.id,
  name: r.name,
  preview: r.preview,
  enabled: r.enabled,
  limit: r.limit,
  dailyReset: r.dailyReset,
  perMinute: r.perMinute,
  expiresAt: r.expiresAt,
  createdAt: r.createdAt,
  lastUsedAt: r.lastUsedAt,
  used: r.used,
  status: !r.enabled
    ? 'disabled'
    : r.expiresAt !== null && now >= r.expiresAt
      ? 'expired'
      : r.limit !== null && r.used >= r.limit
        ? 'exhausted'
        : 'active',
});

/** What the access-key operations need: the whole core in the server, just the store in the CLI. */
export type AccessKeyAdminDeps = Pick<GatewayCore, 'accessKeys' | 'now' | 'log'>;

export function createAccessKeyAdmin(core: AccessKeyAdminDeps): AccessKeyAdmin {
  return {
    async listAccessKeys() {
      const now = core.now();
      return core.accessKeys.list().map((r) => toDto(r, now));
    },
    async createAccessKey(input): Promise<CreatedAccessKey> {
      const valid = parseBody(accessKeyInputSchema, input);
      const { key, record } = core.accessKeys.create(valid);
      core.log.info(`admin: access key '${record.name}' (${record.preview}) created`);
      return { key, record: toDto(record, core.now()) };
    },
    async updateAccessKey(id, patch) {
      const valid = parseBody(accessKeyPatchSchema, patch);
      const record = core.accessKeys.update(String(id), valid);
      core.log.info(`admin: access key '${record.name}' updated`);
      return toDto(record, core.now());
    },
    async revokeAccessKey(id) {
      if (!core.accessKeys.revoke(String(id))) {
        throw new ApiError('not_found', `No access key with id '${String(id)}'.`);
      }
      core.log.info(`admin: access key ${String(id)} revoked`);
    },
  };
}
