/** Usage charts and the log view over the admin contract (the live log stream is per transport). */
import { z } from 'zod';
import { usageRangeSchema, type AdminApi } from '../../../shared/admin-contract';
import type { GatewayCore } from '../core';
import { parseInput } from './parse-input';

type UsageLogAdmin = Pick<AdminApi, 'getUsage' | 'getLogs' | 'clearLogs'>;

/** At most this many entries per getLogs call (the log view keeps about as many). */
export const LOG_PAGE = 1000;

const usageInput = z.object({ range: usageRangeSchema });
/** Named `after` like the HTTP query parameter, so a 400 names what the caller sent. */
const logsInput = z.object({ after: z.number().int().min(0).optional() });

export function createUsageLogAdmin(core: GatewayCore): UsageLogAdmin {
  return {
    async getUsage(range) {
      const valid = parseInput(usageInput, { range });
      const masked = new Map(core.keys.health().map((h) => [h.id, h.masked]));
      const names = new Map(core.accessKeys.list().map((k) => [k.id, k.name]));
      // A key removed or revoked since keeps its history, named null: the window words "removed key"
      // in its own language.
      return core.usage.report(valid.range, core.now(), {
        keyMasked: (id) => masked.get(id) ?? null,
        accessKeyName: (id) => names.get(id) ?? null,
      });
    },

    async getLogs(afterId) {
      const valid = parseInput(logsInput, { after: afterId });
      return core.log.recent(LOG_PAGE, valid.after ?? 0);
    },

    async clearLogs() {
      core.log.clear();
      // The one entry left says who emptied the view, and when.
      core.log.info('admin: log cleared');
    },
  };
}
