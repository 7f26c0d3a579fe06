/**
 * The xAI key pool (XAI_API_KEYS) over the admin contract, for the owner to see which key cools down
 * or was disabled, and why (the key itself only masked). The list is edited in the settings, not
 * here: it is one secret setting like any other, and saving it already gives rejected keys another
 * chance (core.ts). The one action is that chance for a single key, without saving anything.
 */
import { z } from 'zod';
import type { AdminApi } from '../../../shared/admin-contract';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { parseInput } from './parse-input';

type XaiKeyAdmin = Pick<AdminApi, 'listXaiKeys' | 'enableXaiKey'>;

const keyIdInput = z.object({ id: z.string().min(1).max(100) });

export function createXaiKeyAdmin(core: GatewayCore): XaiKeyAdmin {
  return {
    async listXaiKeys() {
      return core.xaiKeys.health();
    },

    async enableXaiKey(id) {
      const valid = parseInput(keyIdInput, { id });
      const key = core.xaiKeys.health().find((h) => h.id === valid.id);
      if (!key) throw new ApiError('not_found', `No xAI key with id '${valid.id}'.`, { param: 'id' });
      // Only a disabled key: enable() also ends cooldowns, and a cooling key's 429 or 403 still
      // stands — ending it early would only send the next request into the same refusal. A key xAI
      // still rejects is disabled again by the request that uses it, which moves on to another key.
      if (key.status === 'disabled') {
        core.xaiKeys.enable(valid.id);
        core.log.info(`admin: xAI key ${key.masked} enabled again`);
      }
      return core.xaiKeys.health();
    },
  };
}
