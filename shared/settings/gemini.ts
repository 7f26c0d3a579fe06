/** Gemini upstream: keys, retries, timeouts, thinking, remote images. */
import { z } from 'zod';
import { httpUrl, nonNegativeInt, optionalProxyUrl, positiveSeconds, spec, stringList } from './spec';

export const geminiSettings = {
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
  outboundProxy: spec({
    env: 'OUTBOUND_PROXY',
    group: 'gemini',
    envFormat: 'string',
    schema: optionalProxyUrl,
    default: '',
    // It may carry a proxy password (http://user:password@host:port).
    secret: true,
    label: { en: 'Outbound proxy', zh: '出站代理' },
    help: {
      en: "HTTP proxy for the calls to Gemini and xAI where Google is reachable only through one, e.g. http://127.0.0.1:7890 (Clash) or 127.0.0.1:10809 (v2rayN); http://user:password@host:port works (special characters percent-encoded: @ as %40, % as %25). SOCKS is not supported: use your proxy app's HTTP port. direct: never use a proxy (the tray app then ignores the system's proxy setting too). Image URLs in messages go through it when REMOTE_FETCH_VIA_PROXY is on (the tray app's default).",
      zh: '访问 Gemini 与 xAI 时使用的 HTTP 代理，适用于只能通过代理访问 Google 的网络，如 http://127.0.0.1:7890（Clash）或 127.0.0.1:10809（v2rayN）；支持 http://用户名:密码@主机:端口（特殊字符需百分号编码：@ 写作 %40，% 写作 %25）。不支持 SOCKS，请使用代理软件的 HTTP 端口。填 direct 则不使用任何代理（托盘应用也不再理会系统的代理设置）。开启 REMOTE_FETCH_VIA_PROXY 时（托盘应用默认开启）消息中的图片链接也经由它下载。',
    },
    // The tray app follows the system proxy Clash or v2rayN set (main/electron/system-proxy.ts); a
    // server follows only what it is configured with.
    empty: {
      headless: { en: 'direct', zh: '直连' },
      tray: { en: 'follow the system proxy', zh: '跟随系统代理' },
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
  remoteFetchViaProxy: spec({
    env: 'REMOTE_FETCH_VIA_PROXY',
    group: 'gemini',
    envFormat: 'boolean',
    schema: z.boolean(),
    // On by default only in the tray app, whose only caller is its owner: a proxy resolves names
    // itself, so a name that rebinds between the check and the proxy's lookup can reach what the
    // proxy can reach — a risk on a server that hands out access keys.
    default: { headless: false, tray: true },
    label: { en: 'Fetch image URLs through the proxy', zh: '图片链接经代理下载' },
    help: {
      en: "Fetch the image URLs of the owner's own requests (the password, or an address `auth` proved) through the outbound proxy (OUTBOUND_PROXY, or the tray app's system proxy), for image hosts blocked like Google; a proxy app's fake-IP answers (198.18.0.0/15, Clash's TUN / fake-ip mode) are then accepted. The proxy resolves names itself, so the public-address check cannot see where such a fetch lands. Access-key holders' images are always fetched directly, as are allow-listed hosts.",
      zh: '网关所有者自己的请求（使用密码，或经 auth 命令验证的地址）中的图片链接经出站代理（OUTBOUND_PROXY 或托盘应用的系统代理）下载，适用于与 Google 一样被屏蔽的图片站点；此时也接受代理软件的 fake-IP 地址（198.18.0.0/15，Clash 的 TUN / fake-ip 模式）。代理会自行解析域名，因此公网地址检查无法得知实际连接到哪里。访问密钥用户的图片以及白名单中的主机始终直连。',
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
