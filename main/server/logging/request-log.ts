/**
 * One structured log entry per request (DESIGN §4 step 8): who, which model, which (masked) key,
 * what status, how long, how many tokens. Health checks are not logged (Docker polls them).
 */
import { loggableModel } from './loggable-model';
import type { FastifyRequest } from 'fastify';
import type { GatewayCore } from '../core';
import type { LogLevel, RequestLogFields } from './log-bus';

/** Status recorded for a request whose client went away before the answer was complete. */
export const CLIENT_CLOSED = 499;

const QUIET_PATHS = new Set(['/health', '/metrics']);

/**
 * Probes and the admin window's own reading (it polls status and lists every few seconds) would
 * bury the API traffic the log is for: successful reads of those are not logged. Failures and every
 * admin change still are.
 */
const isQuiet = (method: string, path: string, status: number): boolean =>
  status < 400 &&
  (QUIET_PATHS.has(path) || ((method === 'GET' || method === 'HEAD') && path.startsWith('/admin')));

export function logRequest(core: GatewayCore, request: FastifyRequest, status: number): void {
  const state = request.gemgate;
  if (!state || state.logged) return;
  state.logged = true;
  const path = request.url.split('?')[0] ?? request.url;
  if (isQuiet(request.method, path, status)) return;
  const fields: RequestLogFields = {
    method: request.method,
    path,
    ip: state.ip ?? request.ip,
    status,
    latencyMs: Math.round((core.now() - state.startedAt) * 10) / 10,
  };
  // As the client named it: bounded before it is kept anywhere (loggable-model.ts).
  const model = state.model === undefined ? undefined : loggableModel(state.model);
  if (model !== undefined) fields.model = model;
  if (state.key !== undefined) fields.key = state.key;
  if (state.stream !== undefined) fields.stream = state.stream;
  if (state.attempts !== undefined) fields.attempts = state.attempts;
  if (state.promptTokens !== undefined) fields.promptTokens = state.promptTokens;
  if (state.completionTokens !== undefined) fields.completionTokens = state.completionTokens;
  if (state.reasoningTokens !== undefined) fields.reasoningTokens = state.reasoningTokens;
  if (state.errorCode !== undefined) fields.errorCode = state.errorCode;
  const level: LogLevel = status >= 500 ? 'error' : status >= 400 || state.errorCode ? 'warn' : 'info';
  core.log.publish(level, describe(fields), fields);
  // Usage charts count model calls (refusals before a model was even read are not usage) on the
  // owner's keys: a call with the caller's own xAI key uses none, and as it needs no gateway
  // credential, recording it would let anyone fill the owner's usage journal (31 days on disk).
  if (model !== undefined && state.access !== 'own_xai_key') {
    // One object literal, absent values as undefined: the recorder treats both alike.
    core.usage.record({
      time: state.startedAt,
      model,
      keyId: state.keyId,
      accessKeyId: state.ticket?.keyId,
      ok: status < 400 && state.errorCode === undefined,
      promptTokens: state.promptTokens,
      completionTokens: state.completionTokens,
      reasoningTokens: state.reasoningTokens,
    });
  }
}

const describe = (f: RequestLogFields): string => {
  const parts = [`${f.method} ${f.path} ${f.status} ${f.latencyMs}ms`];
  if (f.model) parts.push(f.model + (f.stream ? ' (stream)' : ''));
  if (f.key) parts.push(`key ${f.key}`);
  if (f.promptTokens !== undefined) parts.push(`tokens ${f.promptTokens}/${f.completionTokens ?? 0}`);
  if (f.attempts && f.attempts > 1) parts.push(`${f.attempts} attempts`);
  if (f.errorCode) parts.push(`error ${f.errorCode}`);
  return `${f.ip} ${parts.join(' · ')}`;
};
