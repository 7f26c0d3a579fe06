/**
 * The compiled form of the access settings (IP lists, trust-proxy rule), rebuilt only when the
 * settings object changes — settings are immutable snapshots, so identity is enough.
 */
import type { Settings } from '../../../shared/settings-schema';
import { parseTrustProxy, type TrustHop } from './client-ip';
import { compileIpList, type IpMatcher } from './ip-match';

export interface AccessPolicy {
  allow: IpMatcher;
  deny: IpMatcher;
  trust: TrustHop | undefined;
}

export function createPolicyCache(): (settings: Settings) => AccessPolicy {
  let source: Settings | undefined;
  let policy: AccessPolicy | undefined;
  return (settings) => {
    if (settings !== source || !policy) {
      source = settings;
      policy = {
        allow: compileIpList(settings.whitelistIps),
        deny: compileIpList(settings.blacklistIps),
        trust: parseTrustProxy(settings.trustProxy),
      };
    }
    return policy;
  };
}
