/** Access: who may call the gateway. */
import { z } from 'zod';
import { ipOrCidr, spec } from './spec';

export const authSettings = {
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
  authCommandTtlHours: spec({
    env: 'AUTH_COMMAND_TTL_HOURS',
    group: 'auth',
    envFormat: 'number',
    schema: z.number().min(0).max(8760),
    default: 0,
    label: { en: '"auth" command lasts (h)', zh: '"auth" 命令授权时长（小时）' },
    help: {
      en: 'How long an IP authorised by the chat command "auth <password>" stays authorised. 0: until the gateway restarts.',
      zh: '通过聊天命令 "auth <密码>" 授权的 IP 保持授权的时长。0 表示直到网关重启。',
    },
  }),
} as const;
