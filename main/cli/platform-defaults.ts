/**
 * Defaults that depend on where the headless server runs, applied to the environment before it is
 * parsed (a value the operator set always wins).
 *
 * Hugging Face Spaces — the Python proxy's home — puts every request through its own proxy, which
 * connects from an internal address and appends the caller to X-Forwarded-For. With TRUST_PROXY off
 * (the general default, DESIGN §10) every caller would share that proxy's address: the IP lists and
 * the per-IP daily limit would treat everyone alike, and an `auth <password>` from one caller would
 * let in all of them. The Python proxy always read X-Forwarded-For, so its users set nothing; on
 * Spaces, trusting internal hops is what keeps their deployments working as before. Spaces sets
 * SPACE_ID in every Space's environment, and SPACE_HOST to the Space's own host name: HOST_URL
 * defaults to it, so image links are absolute and the web admin knows the name it is reached by
 * (its DNS rebinding guard answers only to known names on connections from internal addresses).
 */
export interface PlatformDefaults {
  env: Record<string, string | undefined>;
  /** What was filled in and why, for the start-up log. */
  notes: string[];
  /**
   * Host names the platform gives the gateway (a Space's SPACE_HOST), which its DNS rebinding guards
   * take as its own even if HOST_URL is later changed in the web admin: never locked out of it.
   */
  knownHosts: string[];
}

const isSet = (value: string | undefined): boolean => Boolean(value?.trim());

export function withPlatformDefaults(env: Readonly<Record<string, string | undefined>>): PlatformDefaults {
  const out = { ...env };
  const notes: string[] = [];
  const knownHosts: string[] = [];
  if (!isSet(env.SPACE_ID)) return { env: out, notes, knownHosts };
  if (!isSet(env.TRUST_PROXY)) {
    out.TRUST_PROXY = 'true';
    notes.push(
      'Running on Hugging Face Spaces: TRUST_PROXY defaults to true, so client IPs come from the X-Forwarded-For header Spaces sets (set TRUST_PROXY to override).',
    );
  }
  const spaceHost = env.SPACE_HOST?.trim();
  const validHost = spaceHost !== undefined && /^[a-z0-9.-]+$/i.test(spaceHost);
  if (validHost) knownHosts.push(spaceHost);
  if (!isSet(env.HOST_URL) && validHost) {
    out.HOST_URL = `https://${spaceHost}`;
    notes.push(
      `Running on Hugging Face Spaces: HOST_URL defaults to https://${spaceHost} (SPACE_HOST), for image links and the web admin (set HOST_URL to override).`,
    );
  }
  return { env: out, notes, knownHosts };
}
