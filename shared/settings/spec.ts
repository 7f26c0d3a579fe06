/**
 * The building blocks of the settings schema: what a setting declares (type, default, env variable,
 * group, labels and help in both languages, secret and restart flags) and the value types several
 * groups share. Each group lives in its own file next to this one; settings-schema.ts joins them.
 */
import { z } from 'zod';
import { invalid } from './messages';

export type RunMode = 'headless' | 'tray';
export type SettingGroup = 'server' | 'auth' | 'limits' | 'gemini' | 'images' | 'xai';
/** How an environment string becomes a value (settings-env.ts). */
export type EnvFormat = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'keys';

export interface Text {
  en: string;
  zh: string;
}

export interface SettingSpec<T> {
  env: string;
  /** Older names still read from the environment, so existing deployments keep working. */
  envAliases?: readonly string[];
  group: SettingGroup;
  envFormat: EnvFormat;
  schema: z.ZodType<T>;
  default: T | { headless: T; tray: T };
  secret?: boolean;
  /**
   * What a change needs before it applies (absent: nothing, the next request uses it). 'listener': a
   * new listener (the tray moves its own at once; headless never moves its listener, so there it
   * waits for the next start). 'start': the next start of the app.
   */
  restart?: 'listener' | 'start';
  /**
   * Headless: only the deployment sets it (its variable or command-line flag), never the web admin,
   * which shows it read-only (main/server/settings/file-settings.ts says why).
   */
  setByDeployment?: boolean;
  label: Text;
  help: Text;
  /**
   * What an empty value does, where the two modes differ (OUTBOUND_PROXY: headless connects directly,
   * the tray app follows the system proxy), as a phrase: "direct" / "直连". Each mode's form ends the
   * help with "Empty: …" and shows it in the empty field; README's table gives both. Absent: `help`
   * says it, the same everywhere.
   */
  empty?: { headless: Text; tray: Text };
}

/** T comes from the schema alone (NoInfer on the default), so enums keep their literal types. */
export const spec = <T>(
  s: Omit<SettingSpec<T>, 'default'> & { default: NoInfer<T> | { headless: NoInfer<T>; tray: NoInfer<T> } },
): SettingSpec<T> => s;

/** 0 asks the OS for a free port (handy for tests and side-by-side instances). */
export const port = z.number().int().min(0).max(65535);
export const nonNegativeInt = z.number().int().min(0);
export const stringList = z.array(z.string().min(1));
export const positiveSeconds = z.number().int().min(1).max(86400);

export const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/?#]+(?::\d+)?(\/[^\s?#]*)?$/i.test(v), invalid('http_url'));
export const optionalHttpUrl = z
  .string()
  .refine((v) => v === '' || httpUrl.safeParse(v).success, invalid('http_url_or_empty'));

/**
 * IPv4 / IPv6 address or CIDR. IPv4 must be four plain decimal numbers: shorthand forms such as
 * "10", "127.1" or "010.0.0.1" (octal!) mean something else than they seem. The server parses fully.
 */
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;
const IP_OR_CIDR = new RegExp(`^(${IPV4}(\\/\\d{1,2})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\\/\\d{1,3})?)$`);
export const ipOrCidr = z.string().refine((v) => IP_OR_CIDR.test(v), invalid('ip_or_cidr'));

/**
 * OUTBOUND_PROXY: empty, `direct`, an http(s) proxy URL (credentials allowed, percent-encoded), or
 * `host:port` as proxy apps show their port. What passes is what undici's ProxyAgent can build from:
 * a port of 1-65535; an ASCII host, where a name ending in a number must be a real IPv4 address (URL
 * parsers read such a name as one); credentials whose percent-escapes decode. SOCKS is refused here
 * rather than at the first request: the upstream clients tunnel through HTTP proxies only
 * (main/server/upstream/upstream-dispatcher.ts), which still reports a value it cannot use (a
 * malformed IPv6 address) on every call instead of failing to start.
 */
const PROXY_SHAPE =
  /^(?:(https?):\/\/)?(?:([^\s/?#@]+)@)?(\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?\/?$/i;
const HOST_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;
const IPV4_ONLY = new RegExp(`^${IPV4}$`);
const NUMERIC_LABEL = /^(\d+|0x[0-9a-f]*)$/i;

const decodes = (text: string): boolean => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

const isUsableHost = (host: string): boolean => {
  if (host.startsWith('[')) return true;
  if (!HOST_NAME.test(host)) return false;
  const last = host.replace(/\.$/, '').split('.').pop() ?? '';
  return !NUMERIC_LABEL.test(last) || IPV4_ONLY.test(host.replace(/\.$/, ''));
};

/** OUTBOUND_PROXY=direct: no proxy, and in the tray app no following the system's either. */
export const isDirectProxySetting = (value: string): boolean => /^direct$/i.test(value.trim());

/** Whether OUTBOUND_PROXY's value can be used (see above); `direct` turns following the system proxy off. */
export function isUsableProxySetting(value: string): boolean {
  const v = value.trim();
  if (v === '' || isDirectProxySetting(v)) return true;
  const match = PROXY_SHAPE.exec(v);
  if (!match) return false;
  const [, scheme, userinfo, host = '', port] = match;
  if (scheme === undefined && port === undefined) return false;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return (userinfo === undefined || decodes(userinfo)) && isUsableHost(host);
}

export const optionalProxyUrl = z.string().refine(isUsableProxySetting, invalid('proxy_url'));
