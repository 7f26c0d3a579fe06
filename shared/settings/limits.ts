/** Rate limits. */
import { nonNegativeInt, spec } from './spec';

export const limitsSettings = {
  maxRequestsPerMinute: spec({
    env: 'MAX_REQUESTS_PER_MINUTE',
    group: 'limits',
    envFormat: 'integer',
    schema: nonNegativeInt,
    default: 30,
    label: { en: 'Requests per minute (whole gateway)', zh: '每分钟请求数（全局）' },
    help: {
      en: "Requests per minute across all clients, protecting the key pool (calls to /xai with the caller's own xAI key are not counted). 0 turns the limit off.",
      zh: '所有客户端合计的每分钟请求上限，用于保护密钥池（自带 xAI 密钥调用 /xai 的请求不计入）。0 表示不限制。',
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
} as const;
