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
 * SPACE_ID in every Space's environment.
 */
export interface PlatformDefaults {
  env: Record<string, string | undefined>;
  /** What was filled in and why, for the start-up log. */
  notes: string[];
}

export function withPlatformDefaults(env: Readonly<Record<string, string | undefined>>): PlatformDefaults {
  const onSpaces = Boolean(env.SPACE_ID?.trim());
  if (!onSpaces || env.TRUST_PROXY?.trim()) return { env: { ...env }, notes: [] };
  return {
    env: { ...env, TRUST_PROXY: 'true' },
    notes: [
      'Running on Hugging Face Spaces: TRUST_PROXY defaults to true, so client IPs come from the X-Forwarded-For header Spaces sets (set TRUST_PROXY to override).',
    ],
  };
}
