/**
 * The argument list of every IPC method, as a zod tuple built from the admin contract's own schemas:
 * a renderer (compromised or buggy) can send anything over IPC, so nothing reaches the admin service
 * or a desktop action unchecked. The `satisfies` clauses make a contract change that is not mirrored
 * here a compile error.
 */
import { z } from 'zod';
import {
  accessKeyInputSchema,
  accessKeyPatchSchema,
  galleryPageSchema,
  idListSchema,
  keyEnabledSchema,
  keysTextSchema,
  settingKeyListSchema,
  settingsPatchSchema,
  usageRangeSchema,
  type AdminApi,
} from '../../shared/admin-contract';
import type { AdminMethod, DesktopApi, DesktopMethod } from '../../shared/admin-transport';

const id = z.string().min(1).max(100);
const none = z.tuple([]);

export const adminArgs = {
  getStatus: none,
  getSettings: none,
  updateSettings: z.tuple([settingsPatchSchema]),
  resetSettings: z.tuple([settingKeyListSchema]),
  revealSecret: z.tuple([settingKeyListSchema.element]),
  listKeys: none,
  addKeys: z.tuple([keysTextSchema.shape.text]),
  removeKeys: z.tuple([idListSchema.shape.ids]),
  checkKeys: z.tuple([idListSchema.shape.ids.optional()]),
  setKeyEnabled: z.tuple([id, keyEnabledSchema.shape.enabled]),
  listXaiKeys: none,
  enableXaiKey: z.tuple([id]),
  listAccessKeys: none,
  createAccessKey: z.tuple([accessKeyInputSchema]),
  updateAccessKey: z.tuple([id, accessKeyPatchSchema]),
  revokeAccessKey: z.tuple([id]),
  getUsage: z.tuple([usageRangeSchema]),
  getLogs: z.tuple([z.number().int().min(0).optional()]),
  clearLogs: none,
  listImages: z.tuple([galleryPageSchema]),
  deleteImages: z.tuple([idListSchema.shape.ids]),
  imageStorage: none,
} satisfies { [M in AdminMethod]: z.ZodType<Parameters<AdminApi[M]>> };

/** Only web pages leave the app; file:, javascript:, custom schemes never reach the OS handler. */
export const externalUrlSchema = z
  .string()
  .max(4096)
  .refine((v) => {
    try {
      const { protocol } = new URL(v);
      return protocol === 'https:' || protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const desktopArgs = {
  startServer: none,
  stopServer: none,
  openImageFolder: none,
  openExternal: z.tuple([externalUrlSchema]),
  getLaunchAtLogin: none,
  setLaunchAtLogin: z.tuple([z.boolean()]),
} satisfies { [M in DesktopMethod]: z.ZodType<Parameters<DesktopApi[M]>> };

export const adminMethods = Object.keys(adminArgs) as AdminMethod[];
export const desktopMethods = Object.keys(desktopArgs) as DesktopMethod[];
