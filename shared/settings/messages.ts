/**
 * The settings schema's own validation messages, each under a code. The server and the environment
 * parser show the English text as it is (a headless start names the variable: "PROXY_URL: must be an
 * http(s) URL…"); the settings form finds the code in the zod issue and words it in the window's
 * language (renderer/lib/validation.ts). zod's built-in checks (bounds, integers, required) need no
 * code: the form words those from the issue itself.
 */

export const VALIDATION_MESSAGES = {
  http_url: 'must be an http(s) URL such as https://example.com',
  http_url_or_empty: 'must be empty or an http(s) URL',
  ip_or_cidr: 'must be an IP address or CIDR such as 10.0.0.0/8 or ::1',
  trust_proxy: 'must be false, true, a hop count (1-99) or a comma-separated list of IPs/CIDRs',
  domain: 'must be a domain such as img.example.com or https://img.example.com',
  qiniu_region: 'must be a Qiniu region id such as z0, z1, z2, na0 or as0',
  cos_region: 'must be a COS region such as ap-guangzhou or ap-beijing-1',
  proxy_url:
    "must be empty, direct, or an HTTP proxy such as http://127.0.0.1:7890 (SOCKS is not supported: use your proxy app's HTTP port)",
} as const;

export type ValidationCode = keyof typeof VALIDATION_MESSAGES;

/** The second argument of refine(): the English message, and the code in the issue's params. */
export const invalid = (code: ValidationCode): { message: string; params: { code: ValidationCode } } => ({
  message: VALIDATION_MESSAGES[code],
  params: { code },
});

const isCode = (value: unknown): value is ValidationCode =>
  typeof value === 'string' && Object.hasOwn(VALIDATION_MESSAGES, value);

/** The code a refine() built with invalid() put in its issue, if it is one. */
export function validationCodeOf(issue: {
  code: string;
  params?: Record<string, unknown>;
}): ValidationCode | null {
  const code = issue.code === 'custom' ? issue.params?.code : undefined;
  return isCode(code) ? code : null;
}
