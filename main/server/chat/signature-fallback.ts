/**
 * One more try without the replayed thought signatures when Gemini refuses them (a conversation
 * switched models halfway through its tool calls: providers/gemini/replayed-signatures.ts). Only
 * requests that replay signatures get it, once, and only before anything reached the client.
 */
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { isSignatureRejection } from '../providers/gemini/replayed-signatures';
import type { RequestBody } from '../providers/gemini/serialize-request';
import type { PreparedChat } from './prepare-chat';

export function withSignatureFallback<T>(
  core: GatewayCore,
  prepared: PreparedChat,
  attempt: (body: RequestBody) => Promise<T>,
  canRetry: () => boolean = () => true,
): Promise<T> {
  const resend = prepared.withoutSignatures;
  // Most requests replay no signature: the attempt as it is, without a wrapper on the hot path.
  if (resend === undefined) return attempt(prepared.body);
  return attempt(prepared.body).then(
    (value) => {
      // Accepted: the resend will not be needed, and it holds the whole Gemini request (images too).
      prepared.withoutSignatures = undefined;
      return value;
    },
    (err: unknown) => {
      if (!(err instanceof ApiError) || !isSignatureRejection(err) || !canRetry()) throw err;
      core.log.warn(
        `Gemini refused the thought signatures replayed in a ${prepared.model.upstream} conversation (${err.message.slice(0, 200)}); sent again without them.`,
      );
      return attempt(resend());
    },
  );
}
