/**
 * The Gemini key pool over the admin contract. Keys live in the GEMINI_API_KEYS setting, so adding
 * and removing go through the settings source and persist like any saved setting; the core applies
 * the new list to the pool and checks the keys that are new at once (core.ts). Enabling and disabling
 * is pool state: it lasts until the gateway restarts or a key check finds the key working again.
 */
import { z } from 'zod';
import {
  idListSchema,
  keyEnabledSchema,
  keysTextSchema,
  type AdminApi,
} from '../../../shared/admin-contract';
import type { KeyHealth } from '../../../shared/admin-dto';
import { splitList } from '../../../shared/settings-env';
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { keyIdOf } from '../keys/key-pool';
import { OWNER_DISABLED_REASON } from '../keys/owner-disabled-keys';
import { parseSettingValue } from '../settings/validate-setting';
import type { AdminHost } from './admin-host';
import { parseInput } from './parse-input';

type KeyAdmin = Pick<AdminApi, 'listKeys' | 'addKeys' | 'removeKeys' | 'checkKeys' | 'setKeyEnabled'>;

const checkIdsSchema = z.object({ ids: idListSchema.shape.ids.optional() });
const keyEnabledInput = keyEnabledSchema.extend({ id: z.string().min(1).max(100) });

export function createKeyAdmin(core: GatewayCore, host: AdminHost): KeyAdmin {
  const current = () => host.settings.get().geminiApiKeys;
  const save = async (keys: string[]) =>
    host.settings.update({ geminiApiKeys: parseSettingValue('geminiApiKeys', keys) });
  const healthOf = (id: string): KeyHealth | undefined => core.keys.health().find((h) => h.id === id);

  return {
    async listKeys() {
      return core.keys.health();
    },

    async addKeys(text) {
      const valid = parseInput(keysTextSchema, { text });
      const pasted = valid.text.split(/[\s,;]+/).filter(Boolean).length;
      const known = new Set(current().map((k) => keyIdOf(k.trim())));
      const added = splitList(valid.text).filter((k) => !known.has(keyIdOf(k)));
      if (added.length > 0) await save([...current(), ...added]);
      const duplicates = pasted - added.length;
      core.log.info(
        `admin: ${added.length} Gemini key(s) added${duplicates > 0 ? `, ${duplicates} duplicate(s) ignored` : ''}`,
      );
      return { added: added.length, duplicates, keys: core.keys.health() };
    },

    async removeKeys(ids) {
      const valid = parseInput(idListSchema, { ids });
      const remove = new Set(valid.ids);
      const before = current();
      const kept = before.filter((k) => !remove.has(keyIdOf(k.trim())));
      if (kept.length !== before.length) {
        await save(kept);
        core.log.info(`admin: ${before.length - kept.length} Gemini key(s) removed`);
      }
      return core.keys.health();
    },

    async checkKeys(ids) {
      const valid = parseInput(checkIdsSchema, { ids });
      return core.keyChecker.checkAll(valid.ids);
    },

    async setKeyEnabled(id, enabled) {
      const valid = parseInput(keyEnabledInput, { id, enabled });
      const done = valid.enabled
        ? core.keys.enable(valid.id)
        : core.keys.disable(valid.id, OWNER_DISABLED_REASON, true);
      if (!done) throw new ApiError('not_found', `No Gemini key with id '${valid.id}'.`, { param: 'id' });
      core.ownerDisabledKeys.remember(valid.id, !valid.enabled);
      core.log.info(
        `admin: Gemini key ${healthOf(valid.id)?.masked ?? valid.id} ${valid.enabled ? 'enabled' : 'disabled'}`,
      );
      return core.keys.health();
    },
  };
}
