/**
 * Fetches the http(s) images of the history that go back to Gemini (history-images.ts decides which).
 * Our own images are read straight from the image library — no HTTP round trip, also for cloud
 * stores, where the index knows the object. Foreign URLs go through the SSRF guard. A user's
 * `image_url` that cannot be fetched is the client's error (400); an old reply's image that has gone
 * away just becomes the text marker.
 */
import type { GatewayCore } from '../core';
import { ApiError } from '../errors';
import { fetchRemoteImage } from '../net/fetch-remote-image';
import type { RemoteMedia } from '../providers/gemini/convert-request';
import type { ImageRef } from '../providers/gemini/history-images';

/** More images than this in one request is abuse, not a conversation. */
const MAX_REMOTE_IMAGES = 16;

async function ownImage(core: GatewayCore, url: string): Promise<RemoteMedia | undefined> {
  const library = core.images.library;
  const entry = library.findByUrl(url);
  if (!entry) return undefined;
  const stored = await library.read(entry.id).catch(() => undefined);
  return stored && { mimeType: stored.mimeType, data: stored.bytes.toString('base64') };
}

/** Who asks for the images, and until when. */
export interface MediaCaller {
  signal: AbortSignal;
  /**
   * The gateway's owner (the password, or an address its `auth` proved): only the owner's images go
   * through the proxy app (REMOTE_FETCH_VIA_PROXY). The proxy resolves names itself — a proxy app in
   * fake-IP mode resolves every name — so no check here can see where such a fetch lands; that is a
   * risk the owner may take for their own requests, not one to hand to every access-key holder.
   */
  owner: boolean;
}

export async function fetchHistoryMedia(
  core: GatewayCore,
  refs: readonly ImageRef[],
  caller: MediaCaller,
): Promise<Map<string, RemoteMedia>> {
  if (refs.length > MAX_REMOTE_IMAGES) {
    throw new ApiError(
      'invalid_request',
      `At most ${MAX_REMOTE_IMAGES} image URLs per request are fetched.`,
      {
        param: 'messages',
      },
    );
  }
  const s = core.settings.get();
  const viaProxy = s.remoteFetchViaProxy && caller.owner;
  const options = {
    allowedHosts: s.remoteFetchAllowedHosts,
    maxBytes: Math.round(s.remoteImageMaxMb * 1024 * 1024),
    timeoutMs: s.remoteFetchTimeoutSeconds * 1000,
    ...(core.remoteLookup ? { lookup: core.remoteLookup } : {}),
    // Public image hosts through Gemini's proxy only when asked, for the owner (MediaCaller), and then
    // a proxy app's fake IPs (its TUN mode) are its to resolve too.
    proxy: viaProxy ? core.remoteFetchProxy() : '',
    acceptFakeIps: viaProxy,
  };
  const media = new Map<string, RemoteMedia>();
  await Promise.all(
    refs.map(async (ref) => {
      const own = await ownImage(core, ref.url);
      if (own) return void media.set(ref.url, own);
      try {
        media.set(ref.url, await fetchRemoteImage(ref.url, options, caller.signal));
      } catch (err) {
        if (ref.kind === 'image_url') throw err;
        core.log.debug(`History image not resent (${err instanceof Error ? err.message : String(err)}).`);
      }
    }),
  );
  return media;
}
