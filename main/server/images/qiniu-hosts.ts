/**
 * Which Qiniu hosts the store talks to. Every host is fixed up front: a default `qiniu.conf.Config`
 * asks uc.qiniuapi.com where the bucket lives, and when that query fails (offline, firewalled) the
 * SDK also raises an unhandled rejection that takes Node down (platform notes §6).
 */
import qiniu from 'qiniu';

export interface QiniuHosts {
  /** SDK configuration for uploads, with a static regions provider (never a uc query). */
  config: qiniu.conf.Config;
  /** Origin of the management API (batch delete), e.g. `https://rs-z0.qiniuapi.com`. */
  rsOrigin: string;
  /** Where uploads go, for messages: the override's origin or the region id. */
  uploadTarget: string;
}

/**
 * With `uploadUrl` (private deployments, tests) that one host serves both uploads and management,
 * over the URL's own scheme; otherwise the region's official hosts are used over HTTPS.
 */
export function qiniuHosts(region: string, uploadUrl: string | undefined): QiniuHosts {
  if (uploadUrl !== undefined && uploadUrl !== '') {
    const url = new URL(uploadUrl);
    const scheme = url.protocol === 'http:' ? 'http' : 'https';
    const endpoint = new qiniu.httpc.Endpoint(url.host, { defaultScheme: scheme });
    const regionsProvider = new qiniu.httpc.Region({ regionId: region, services: { up: [endpoint] } });
    return {
      // The SDK picks the scheme from `useHttpsDomain` and ignores the endpoint's own default.
      config: new qiniu.conf.Config({ regionsProvider, useHttpsDomain: scheme === 'https' }),
      rsOrigin: `${scheme}://${url.host}`,
      uploadTarget: `${scheme}://${url.host}`,
    };
  }
  // fromRegionId knows the official up/rs hosts of every region and contacts nothing by itself.
  const regionsProvider = qiniu.httpc.Region.fromRegionId(region, { preferredScheme: 'https' });
  const rsHost = regionsProvider.services.rs?.[0]?.host ?? `rs-${region}.qiniuapi.com`;
  return {
    config: new qiniu.conf.Config({ regionsProvider, useHttpsDomain: true }),
    rsOrigin: `https://${rsHost}`,
    uploadTarget: `region ${region}`,
  };
}
