/**
 * The admin contract (DESIGN §1): the operations the settings window performs, with zod schemas for
 * every payload. Electron implements it over IPC, the headless server over HTTP (/admin/api/*);
 * the renderer talks to whichever it has through the same interface.
 */
import { z } from 'zod';

const nullableLimit = z.number().int().min(1).max(1_000_000_000).nullable();

export const accessKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  enabled: z.boolean().optional(),
  limit: nullableLimit.optional(),
  dailyReset: z.boolean().optional(),
  perMinute: z.number().int().min(1).max(100_000).nullable().optional(),
  /** Unix milliseconds; null = never. */
  expiresAt: z.number().int().min(0).nullable().optional(),
});
export type AccessKeyInput = z.infer<typeof accessKeyInputSchema>;

export const accessKeyPatchSchema = accessKeyInputSchema.partial().extend({
  resetUsage: z.boolean().optional(),
});
export type AccessKeyPatch = z.infer<typeof accessKeyPatchSchema>;

/** An access key as the UI sees it: never the key itself, only a preview. */
export interface AccessKeyDto {
  id: string;
  name: string;
  preview: string;
  enabled: boolean;
  limit: number | null;
  dailyReset: boolean;
  perMinute: number | null;
  expiresAt: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  used: number;
  status: 'active' | 'disabled' | 'expired' | 'exhausted';
}

export interface CreatedAccessKey {
  /** The full key: shown once, never retrievable again. */
  key: string;
  record: AccessKeyDto;
}

export const loginSchema = z.object({ password: z.string().min(1).max(1000) });

export interface AdminSession {
  token: string;
  expiresAt: number;
}

export interface AdminApi {
  listAccessKeys(): Promise<AccessKeyDto[]>;
  createAccessKey(input: AccessKeyInput): Promise<CreatedAccessKey>;
  updateAccessKey(id: string, patch: AccessKeyPatch): Promise<AccessKeyDto>;
  revokeAccessKey(id: string): Promise<void>;
}
