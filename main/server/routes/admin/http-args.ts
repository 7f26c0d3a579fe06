/**
 * How each contract method's arguments travel over HTTP (shared/admin-transport.ts): `:id` from the
 * path, GET arguments from the query, the rest from the JSON body (`{ ids }`, `{ text }`, … as the
 * route table's comments say). Only the shape is decoded here; the service validates every value,
 * so the casts below merely hand over what the client sent.
 */
import type { AdminApi, SettingsPatch } from '../../../../shared/admin-contract';
import type { AccessKeyInput, AccessKeyPatch } from '../../../../shared/admin-contract';
import type { UsageRange } from '../../../../shared/admin-dto';
import type { AdminMethod } from '../../../../shared/admin-transport';
import type { SettingKey } from '../../../../shared/settings-schema';

export interface HttpArgsInput {
  id: string;
  query: Readonly<Record<string, unknown>>;
  body: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const field = (body: unknown, name: string): unknown => (isRecord(body) ? body[name] : undefined);

/** Query strings are text: numerals become numbers, anything else is left for zod to refuse. */
const queryNumber = (value: unknown): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;

type Decoders = { [M in AdminMethod]: (input: HttpArgsInput) => Parameters<AdminApi[M]> };

export const HTTP_ARGS: Decoders = {
  getStatus: () => [],
  getSettings: () => [],
  updateSettings: ({ body }) => [body as SettingsPatch],
  resetSettings: ({ body }) => [field(body, 'keys') as SettingKey[]],
  revealSecret: ({ body }) => [field(body, 'key') as SettingKey],
  listKeys: () => [],
  addKeys: ({ body }) => [field(body, 'text') as string],
  removeKeys: ({ body }) => [field(body, 'ids') as string[]],
  checkKeys: ({ body }) => [field(body, 'ids') as string[] | undefined],
  setKeyEnabled: ({ id, body }) => [id, field(body, 'enabled') as boolean],
  listXaiKeys: () => [],
  enableXaiKey: ({ id }) => [id],
  listAccessKeys: () => [],
  createAccessKey: ({ body }) => [body as AccessKeyInput],
  updateAccessKey: ({ id, body }) => [id, body as AccessKeyPatch],
  revokeAccessKey: ({ id }) => [id],
  getUsage: ({ query }) => [query.range as UsageRange],
  getLogs: ({ query }) => [queryNumber(query.after) as number | undefined],
  clearLogs: () => [],
  listImages: ({ query }) => [
    {
      offset: queryNumber(query.offset) as number | undefined,
      limit: queryNumber(query.limit) as number | undefined,
    },
  ],
  deleteImages: ({ body }) => [field(body, 'ids') as string[]],
  imageStorage: () => [],
};

/** Status codes other than 200 (a method that resolves with nothing answers 204). */
export const HTTP_STATUS: Partial<Record<AdminMethod, number>> = { createAccessKey: 201 };

/** Results wrapped in an object on the wire (a bare JSON string is awkward for clients). */
export const HTTP_RESULT_FIELDS: Partial<Record<AdminMethod, string>> = { revealSecret: 'value' };
