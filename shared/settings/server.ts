/** Server: where and how the gateway listens. */
import { z } from 'zod';
import { invalid } from './messages';
import { ipOrCidr, optionalHttpUrl, port, spec } from './spec';

/** `TRUST_PROXY`: off, `true`, a hop count, or a list of trusted proxy IPs / CIDRs. */
export const trustProxySchema = z.string().refine(
  (v) =>
    /^(|false|off|no|true|on|yes|\d{1,2})$/i.test(v.trim()) ||
    v
      .split(/[\s,]+/)
      .filter(Boolean)
      .every((p) => ipOrCidr.safeParse(p).success),
  invalid('trust_proxy'),
);

export const serverSettings = {
  port: spec({
    env: 'PORT',
    group: 'server',
    envFormat: 'integer',
    schema: port,
    default: 7860,
    restart: 'listener',
    setByDeployment: true,
    label: { en: 'Port', zh: '端口' },
    help: { en: 'TCP port the gateway listens on.', zh: '网关监听的 TCP 端口。' },
  }),
  host: spec({
    env: 'HOST',
    group: 'server',
    envFormat: 'string',
    schema: z.string().min(1),
    default: { headless: '0.0.0.0', tray: '127.0.0.1' },
    restart: 'listener',
    setByDeployment: true,
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
      en: "Public origin used to build absolute links (e.g. https://your-space.hf.space), and the name the web admin answers to behind a proxy. Empty: derived from each request (on Hugging Face Spaces: the Space's own address).",
      zh: '用于生成绝对链接的公开地址（如 https://your-space.hf.space），也是网页管理在代理之后响应的名称。留空则根据请求推断（在 Hugging Face Spaces 上为该 Space 的地址）。',
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
      en: 'When X-Forwarded-For may be believed: false (default; true on Hugging Face Spaces when unset), true, a hop count, or the IPs/CIDRs of your proxies.',
      zh: '何时相信 X-Forwarded-For：false（默认；在 Hugging Face Spaces 上未设置时为 true）、true、代理层数，或代理的 IP/CIDR 列表。',
    },
  }),
  dataDir: spec({
    env: 'DATA_DIR',
    group: 'server',
    envFormat: 'string',
    schema: z.string().min(1),
    default: { headless: './data', tray: './data' },
    // The core keeps its state files open in it: a new folder is used from the next start.
    restart: 'start',
    setByDeployment: true,
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
    // fastify fixes the body limit when the server is created.
    restart: 'listener',
    label: { en: 'Max request body (MB)', zh: '请求体上限（MB）' },
    help: {
      en: 'Largest request body accepted. A 20 MB image becomes about 27 MB of base64, so keep it above 30.',
      zh: '允许的最大请求体。20 MB 图片的 base64 约 27 MB，建议不低于 30。',
    },
  }),
  metricsToken: spec({
    env: 'METRICS_TOKEN',
    group: 'server',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    secret: true,
    label: { en: 'Metrics token', zh: '监控令牌' },
    help: {
      en: 'Bearer token for GET /metrics (Prometheus). Empty: /metrics takes the admin password instead.',
      zh: 'GET /metrics（Prometheus）使用的 Bearer 令牌。留空则使用管理密码。',
    },
  }),
  shutdownGraceSeconds: spec({
    env: 'SHUTDOWN_GRACE_SECONDS',
    group: 'server',
    envFormat: 'number',
    schema: z.number().min(0).max(3600),
    default: 30,
    label: { en: 'Shutdown grace (s)', zh: '停止前等待（秒）' },
    help: {
      en: 'On SIGTERM/SIGINT, open requests and streams may finish for this long before the gateway closes them and exits.',
      zh: '收到 SIGTERM/SIGINT 后，等待进行中的请求和流式响应结束的最长时间，超时后强制关闭并退出。',
    },
  }),
} as const;
