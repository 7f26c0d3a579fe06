/** xAI (Grok) relay at /xai/v1. */
import { z } from 'zod';
import { httpUrl, spec, stringList } from './spec';

export const xaiSettings = {
  xaiBaseUrl: spec({
    env: 'XAI_BASE_URL',
    group: 'xai',
    envFormat: 'string',
    schema: httpUrl,
    default: 'https://api.x.ai',
    label: { en: 'xAI API base URL', zh: 'xAI API 地址' },
    help: {
      en: 'Where /xai/v1 is relayed to (only there: the relay is not an open proxy).',
      zh: '/xai/v1 转发的目标地址（只转发到这里，不是开放代理）。',
    },
  }),
  xaiApiKeys: spec({
    env: 'XAI_API_KEYS',
    group: 'xai',
    envFormat: 'keys',
    schema: stringList,
    default: [],
    secret: true,
    label: { en: 'xAI API keys (optional pool)', zh: 'xAI API 密钥（可选密钥池）' },
    help: {
      en: 'When set, callers of /xai/v1 may use the gateway password or an access key, and a pooled xAI key is used. Without it, callers send their own xAI key.',
      zh: '设置后，/xai/v1 的调用者可以使用网关密码或访问密钥，由网关轮换使用这些 xAI 密钥；不设置则调用者需自带 xAI 密钥。',
    },
  }),
  xaiResponseFormat: spec({
    env: 'XAI_RESPONSE_FORMAT',
    group: 'xai',
    envFormat: 'string',
    schema: z.enum(['url', 'b64_json']),
    default: 'url',
    label: { en: 'Grok image links', zh: 'Grok 图片返回方式' },
    help: {
      en: 'Grok images in chat: "url" links xAI’s own (temporary) URL; "b64_json" stores the image in the image storage and links ours.',
      zh: '聊天中的 Grok 图片："url" 使用 xAI 的（临时）链接；"b64_json" 把图片保存到图片存储并返回本网关的链接。',
    },
  }),
} as const;
