/**
 * The one settings schema (DESIGN §3). Every setting is declared once, here, with its type, default,
 * environment variable, group, labels and help (zh/en), whether it is a secret and whether changing it
 * restarts the listener. The TypeScript type, env parsing (settings-env.ts), the settings form and the
 * README table are all derived from this table.
 */
import { z } from 'zod';

export type RunMode = 'headless' | 'tray';
export type SettingGroup = 'server' | 'auth' | 'limits' | 'gemini';
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
  /** Changing it requires the listener to be restarted (host, port). */
  restart?: boolean;
  label: Text;
  help: Text;
}

const spec = <T>(s: SettingSpec<T>): SettingSpec<T> => s;

/** 0 asks the OS for a free port (handy for tests and side-by-side instances). */
const port = z.number().int().min(0).max(65535);
const nonNegativeInt = z.number().int().min(0);
const stringList = z.array(z.string().min(1));
const positiveSeconds = z.number().int().min(1).max(86400);

const httpUrl = z
  .string()
  .refine(
    (v) => /^https?:\/\/[^\s/?#]+(?::\d+)?(\/[^\s?#]*)?$/i.test(v),
    'must be an http(s) URL such as https://example.com',
  );
const optionalHttpUrl = z
  .string()
  .refine((v) => v === '' || httpUrl.safeParse(v).success, 'must be empty or an http(s) URL');

/** IPv4 / IPv6 address or CIDR, checked loosely here (shared code has no net module); the server parses it fully. */
const ipOrCidr = z
  .string()
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'must be an IP address or CIDR such as 10.0.0.0/8 or ::1');

/** `TRUST_PROXY`: off, `true`, a hop count, or a list of trusted proxy IPs / CIDRs. */
export const trustProxySchema = z.string().refine(
  (v) =>
    /^(|false|off|no|true|on|yes|\d{1,2})$/i.test(v.trim()) ||
    v
      .split(/[\s,]+/)
      .filter(Boolean)
      .every((p) => ipOrCidr.safeParse(p).success),
  'must be false, true, a hop count (1-99) or a comma-separated list of IPs/CIDRs',
);

export const settingSpecs = {
  // ---- server -----------------------------------------------------------------------------------
  port: spec({
    env: 'PORT',
    group: 'server',
    envFormat: 'integer',
    schema: port,
    default: 7860,
    restart: true,
    label: { en: 'Port', zh: '端口' },
    help: { en: 'TCP port the gateway listens on.', zh: '网关监听的 TCP 端口。' },
  }),
  host: spec({
    env: 'HOST',
    group: 'server',
    envFormat: 'string',
    schema: z.string().min(1),
    default: { headless: '0.0.0.0', tray: '127.0.0.1' },
    restart: true,
    label: { en: 'Listen address', zh: '监听地址' },
    help: {
      en: 'Address to bind. 127.0.0.1 keeps the gateway private to this computer; 0.0.0.0 exposes it to the network.',
      zh: '绑定的地址。127.0.0.1 仅本机可访问；0.0.0.0 会暴露到网络。',
    },
  }),
  hostUrl: spec({
    env: 'HOST_URL',
    group: 'server',
    envFormat: 'string',
    schema: optionalHttpUrl,
    default: '',
    label: { en: 'Public base URL', zh: '公开访问地址' },
    help: {
      en: 'Public origin used to build absolute links (e.g. https://your-space.hf.space). Empty: derived from each request.',
      zh: '用于生成绝对链接的公开地址（如 https://your-space.hf.space）。留空则根据请求推断。',
    },
  }),
  trustProxy: spec({
    env: 'TRUST_PROXY',
    group: 'server',
    envFormat: 'string',
    schema: trustProxySchema,
    default: 'false',
    label: { en: 'Trust proxy headers', zh: '信任代理头' },
    help: {
      en: 'When X-Forwarded-For may be believed: false (default), true, a hop count, or the IPs/CIDRs of your proxies.',
      zh: '何时相信 X-Forwarded-For：false（默认）、true、代理层数，或代理的 IP/CIDR 列表。',
    },
  }),
  dataDir: spec({
    env: 'DATA_DIR',
    group: 'server',
    envFormat: 'string',
    schema: z.string().min(1),
    default: { headless: './data', tray: './data' },
    restart: true,
    label: { en: 'Data folder', zh: '数据目录' },
    help: {
      en: 'Folder for persisted state. Created when missing. The tray app keeps it under its user-data folder.',
      zh: '保存持久化数据的目录，不存在时自动创建。托盘应用默认放在其用户数据目录下。',
    },
  }),
  maxBodyMb: spec({
    env: 'MAX_BODY_MB',
    group: 'server',
    envFormat: 'number',
    schema: z.number().min(1).max(512),
    default: 50,
    restart: true,
    label: { en: 'Max request body (MB)', zh: '请求体上限（MB）' },
    help: {
      en: 'Largest request body accepted. A 20 MB image becomes about 27 MB of base64, so keep it above 30.',
      zh: '允许的最大请求体。20 MB 图片的 base64 约 27 MB，建议不低于 30。',
    },
  }),
  // ---- auth -------------------------------------------------------------------------------------
  password: spec({
    env: 'PASSWORD',
    group: 'auth',
    envFormat: 'string',
    schema: z.string().min(1),
    default: '123',
    secret: true,
    label: { en: 'Password (API key for clients)', zh: '访问密码（客户端 API Key）' },
    help: {
      en: 'Clients send it as the API key (Authorization: Bearer …). Change the default "123" before exposing the gateway.',
      zh: '客户端把它当作 API Key 发送（Authorization: Bearer …）。对外开放前请修改默认的 "123"。',
    },
  }),
  adminPassword: spec({
    env: 'ADMIN_PASSWORD',
    group: 'auth',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    secret: true,
    label: { en: 'Admin password', zh: '管理密码' },
    help: {
      en: 'Password of the web admin (/admin). Empty: the same as the password above.',
      zh: '网页管理后台（/admin）的密码。留空则与上面的访问密码相同。',
    },
  }),
  whitelistIps: spec({
    env: 'WHITELIST_IPS',
    group: 'auth',
    envFormat: 'list',
    schema: z.array(ipOrCidr),
    default: [],
    label: { en: 'Allowed IPs (no password needed)', zh: 'IP 白名单（免密码）' },
    help: {
      en: 'IPs or CIDRs that may call the API without a credential, comma separated.',
      zh: '无需凭证即可调用 API 的 IP 或 CIDR，逗号分隔。',
    },
  }),
  blacklistIps: spec({
    env: 'BLACKLIST_IPS',
    group: 'auth',
    envFormat: 'list',
    schema: z.array(ipOrCidr),
    default: [],
    label: { en: 'Blocked IPs', zh: 'IP 黑名单' },
    help: {
      en: 'IPs or CIDRs that are refused (403) before anything else, comma separated.',
      zh: '在一切检查之前即被拒绝（403）的 IP 或 CIDR，逗号分隔。',
    },
  }),
  // ---- limits -----------------------------------------------------------------------------------
  maxRequestsPerMinute: spec({
    env: 'MAX_REQUESTS_PER_MINUTE',
    group: 'limits',
    envFormat: 'integer',
    schema: nonNegativeInt,
    default: 30,
    label: { en: 'Requests per minute (whole gateway)', zh: '每分钟请求数（全局）' },
    help: {
      en: 'Requests per minute across all clients, protecting the key pool. 0 turns the limit off.',
      zh: '所有客户端合计的每分钟请求上限，用于保护密钥池。0 表示不限制。',
    },
  }),
  maxRequestsPerDayPerIp: spec({
    env: 'MAX_REQUESTS_PER_DAY_PER_IP',
    group: 'limits',
    envFormat: 'integer',
    schema: nonNegativeInt,
    default: 600,
    label: { en: 'Requests per day per IP', zh: '每 IP 每日请求数' },
    help: {
      en: 'Requests per client IP per day. 0 turns the limit off.',
      zh: '每个客户端 IP 每天的请求上限。0 表示不限制。',
    },
  }),
  // ---- gemini -----------------------------------------------------------------------------------
  geminiApiKeys: spec({
    env: 'GEMINI_API_KEYS',
    group: 'gemini',
    envFormat: 'keys',
    schema: stringList,
    default: [],
    secret: true,
    label: { en: 'Gemini API keys', zh: 'Gemini API 密钥' },
    help: {
      en: 'Your Gemini API keys, separated by commas, spaces or new lines. Duplicates and blanks are ignored.',
      zh: '你的 Gemini API 密钥，用逗号、空格或换行分隔；重复和空白会被忽略。',
    },
  }),
  proxyUrl: spec({
    env: 'PROXY_URL',
    group: 'gemini',
    envFormat: 'string',
    schema: httpUrl,
    default: 'https://generativelanguage.googleapis.com',
    label: { en: 'Gemini API base URL', zh: 'Gemini API 地址' },
    help: {
      en: 'Where Gemini is reached. Replace it with a relay when Google is not reachable directly.',
      zh: 'Gemini 的访问地址。无法直连 Google 时可换成中转地址。',
    },
  }),
  extraModels: spec({
    env: 'EXTRA_MODELS',
    group: 'gemini',
    envFormat: 'list',
    schema: stringList,
    default: [],
    label: { en: 'Extra models', zh: '额外模型' },
    help: {
      en: 'Model ids added to /v1/models even when Google does not list them (comma separated).',
      zh: '即使 Google 未列出也添加到 /v1/models 的模型 ID（逗号分隔）。',
    },
  }),
  historyImageSubmitType: spec({
    env: 'HISTORY_IMAGE_SUBMIT_TYPE',
    group: 'gemini',
    envFormat: 'string',
    schema: z.enum(['last', 'all']),
    default: 'last',
    label: { en: 'Images resent from history', zh: '历史图片提交方式' },
    help: {
      en: '"last": only the most recent image(s) of the conversation are sent again; "all": every image.',
      zh: '"last"：只重新提交对话中最近的图片；"all"：提交全部图片。',
    },
  }),
  gemini429Retries: spec({
    env: 'GEMINI_429_RETRIES',
    group: 'gemini',
    envFormat: 'integer',
    schema: nonNegativeInt.max(100),
    default: 3,
    label: { en: 'Retries after 429', zh: '429 重试次数' },
    help: {
      en: 'How many other keys to try when Google answers 429 (quota). The key cools down meanwhile.',
      zh: 'Google 返回 429（配额）时换用其他密钥重试的次数，该密钥同时进入冷却。',
    },
  }),
  gemini503Retries: spec({
    env: 'GEMINI_503_RETRIES',
    group: 'gemini',
    envFormat: 'integer',
    schema: nonNegativeInt.max(100),
    default: 3,
    label: { en: 'Retries after 5xx / timeout', zh: '5xx / 超时重试次数' },
    help: {
      en: 'How many times to retry on another key after 500/503/504, a timeout or a dropped connection.',
      zh: '遇到 500/503/504、超时或连接中断时换密钥重试的次数。',
    },
  }),
  geminiEmptyResponseRetries: spec({
    env: 'GEMINI_EMPTY_RESPONSE_RETRIES',
    group: 'gemini',
    envFormat: 'integer',
    schema: nonNegativeInt.max(100),
    default: 0,
    label: { en: 'Retries after an empty answer', zh: '空回复重试次数' },
    help: {
      en: 'How many times to retry when Gemini answers with nothing at all.',
      zh: 'Gemini 返回空内容时的重试次数。',
    },
  }),
  geminiRetryDelay: spec({
    env: 'GEMINI_RETRY_DELAY',
    group: 'gemini',
    envFormat: 'number',
    schema: z.number().min(0).max(60),
    default: 1,
    label: { en: 'Retry delay (s)', zh: '重试间隔（秒）' },
    help: { en: 'Seconds to wait before a retry.', zh: '每次重试前等待的秒数。' },
  }),
  includeThoughts: spec({
    env: 'INCLUDE_THOUGHTS',
    group: 'gemini',
    envFormat: 'boolean',
    schema: z.boolean(),
    default: true,
    label: { en: 'Return thinking', zh: '返回思考过程' },
    help: {
      en: 'Ask thinking models for their thought summaries and return them as reasoning_content.',
      zh: '向思考模型请求思考摘要，并以 reasoning_content 返回。',
    },
  }),
  keyCooldownSeconds: spec({
    env: 'KEY_COOLDOWN_SECONDS',
    group: 'gemini',
    envFormat: 'integer',
    schema: positiveSeconds,
    default: 60,
    label: { en: 'Key cooldown after 429 (s)', zh: '429 后密钥冷却（秒）' },
    help: {
      en: 'How long a key rests after a 429 when Google does not say how long (RetryInfo wins when present).',
      zh: '密钥遇到 429 且 Google 未给出等待时间时的冷却秒数（有 RetryInfo 时以其为准）。',
    },
  }),
  keyCheckIntervalMinutes: spec({
    env: 'KEY_CHECK_INTERVAL_MINUTES',
    group: 'gemini',
    envFormat: 'integer',
    schema: nonNegativeInt.max(10080),
    default: 360,
    label: { en: 'Key re-check interval (min)', zh: '密钥复检间隔（分钟）' },
    help: {
      en: 'Keys are checked at start and then every this many minutes; disabled keys that work again return. 0: only at start.',
      zh: '启动时检查密钥，此后每隔这么多分钟复检；恢复可用的已禁用密钥会重新启用。0 表示仅启动时检查。',
    },
  }),
  modelsCacheSeconds: spec({
    env: 'MODELS_CACHE_SECONDS',
    group: 'gemini',
    envFormat: 'integer',
    schema: nonNegativeInt.max(86400),
    default: 600,
    label: { en: 'Model list cache (s)', zh: '模型列表缓存（秒）' },
    help: {
      en: 'How long the model list from Google is reused. On a failed refresh the last good list is served.',
      zh: '从 Google 获取的模型列表的缓存时间。刷新失败时继续使用上一次的结果。',
    },
  }),
  upstreamConnectTimeoutSeconds: spec({
    env: 'UPSTREAM_CONNECT_TIMEOUT_SECONDS',
    group: 'gemini',
    envFormat: 'number',
    schema: z.number().min(0.1).max(300),
    default: 10,
    label: { en: 'Connect timeout (s)', zh: '连接超时（秒）' },
    help: { en: 'Time allowed to open a connection to Gemini.', zh: '连接 Gemini 的超时时间。' },
  }),
  upstreamResponseTimeoutSeconds: spec({
    env: 'UPSTREAM_RESPONSE_TIMEOUT_SECONDS',
    group: 'gemini',
    envFormat: 'number',
    schema: z.number().min(1).max(3600),
    default: 300,
    label: { en: 'Response timeout (s)', zh: '响应超时（秒）' },
    help: {
      en: 'Time allowed until Gemini starts answering. Thinking models can take minutes on a non-streamed request.',
      zh: '等待 Gemini 开始响应的时间。思考模型的非流式请求可能需要数分钟。',
    },
  }),
  streamKeepaliveSeconds: spec({
    env: 'STREAM_KEEPALIVE_SECONDS',
    group: 'gemini',
    envFormat: 'number',
    schema: z.number().min(0).max(600),
    default: 15,
    label: { en: 'Stream keep-alive (s)', zh: '流式保活间隔（秒）' },
    help: {
      en: 'During a silent stream, send an SSE comment this often so proxies do not cut the connection. 0: off.',
      zh: '流式响应长时间无数据时，按此间隔发送 SSE 注释，防止中间代理断开连接。0 表示关闭。',
    },
  }),
  remoteFetchAllowedHosts: spec({
    env: 'REMOTE_FETCH_ALLOWED_HOSTS',
    group: 'gemini',
    envFormat: 'list',
    schema: stringList,
    default: [],
    label: { en: 'Private hosts allowed for image URLs', zh: '允许抓取的内网主机' },
    help: {
      en: 'Image URLs in chats are fetched only from public addresses; list host names or IPs of your intranet that may be fetched too.',
      zh: '对话中的图片链接只从公网地址抓取；在此列出允许抓取的内网主机名或 IP。',
    },
  }),
  remoteImageMaxMb: spec({
    env: 'REMOTE_IMAGE_MAX_MB',
    group: 'gemini',
    envFormat: 'number',
    schema: z.number().min(0.1).max(100),
    default: 20,
    label: { en: 'Max fetched image (MB)', zh: '抓取图片上限（MB）' },
    help: {
      en: 'Largest image fetched from a URL in a chat message.',
      zh: '从对话中的链接抓取图片的大小上限。',
    },
  }),
  remoteFetchTimeoutSeconds: spec({
    env: 'REMOTE_FETCH_TIMEOUT_SECONDS',
    group: 'gemini',
    envFormat: 'number',
    schema: z.number().min(0.5).max(120),
    default: 15,
    label: { en: 'Image fetch timeout (s)', zh: '图片抓取超时（秒）' },
    help: { en: 'Time allowed to download an image URL.', zh: '下载图片链接的超时时间。' },
  }),
} as const;

export type SettingKey = keyof typeof settingSpecs;
type SpecValue<S> = S extends SettingSpec<infer T> ? T : never;
export type Settings = { -readonly [K in SettingKey]: SpecValue<(typeof settingSpecs)[K]> };

export const settingKeys = Object.keys(settingSpecs) as SettingKey[];

const isModeDefault = <T>(d: T | { headless: T; tray: T }): d is { headless: T; tray: T } =>
  typeof d === 'object' && d !== null && !Array.isArray(d) && 'headless' in d && 'tray' in d;

export const defaultFor = <K extends SettingKey>(key: K, mode: RunMode): Settings[K] => {
  const d = settingSpecs[key].default as Settings[K] | { headless: Settings[K]; tray: Settings[K] };
  return isModeDefault(d) ? d[mode] : d;
};

export const settingsDefaults = (mode: RunMode): Settings =>
  Object.fromEntries(settingKeys.map((k) => [k, defaultFor(k, mode)])) as Settings;

/** The zod object for a complete settings value, e.g. a persisted settings file. */
export const settingsSchema = z.object(
  Object.fromEntries(settingKeys.map((k) => [k, settingSpecs[k].schema])) as {
    [K in SettingKey]: z.ZodType<Settings[K]>;
  },
);

/** Settings that hold secrets: masked in the UI, never logged. */
export const secretSettingKeys = settingKeys.filter(
  (k) => 'secret' in settingSpecs[k] && settingSpecs[k].secret,
);
