/**
 * Builds an AdminApi from one generic call. Both transports forward every method the same way, so the
 * method list is taken from ADMIN_HTTP (typed Record<AdminMethod, …>: a method added to the contract
 * without a route fails to compile there, and cannot be forgotten here).
 */
import type { AdminApi } from '../../shared/admin-contract';
import { ADMIN_HTTP, type AdminMethod } from '../../shared/admin-transport';

export const adminMethods = Object.keys(ADMIN_HTTP) as AdminMethod[];

export type AdminCall = (method: AdminMethod, args: unknown[]) => Promise<unknown>;

export function implementAdmin(call: AdminCall): AdminApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of adminMethods) api[method] = (...args) => call(method, args);
  // Sound because every key of AdminApi is in adminMethods and each forwards its arguments unchanged.
  return api as unknown as AdminApi;
}
