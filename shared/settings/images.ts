/** Images: where generated images are kept (memory, local disk, Qiniu, Tencent COS) and their caps. */
import { z } from 'zod';
import { invalid, VALIDATION_MESSAGES } from './messages';
import { nonNegativeInt, optionalHttpUrl, spec } from './spec';

const positiveInt = z.number().int().min(1);
/** A host name with an optional scheme and port, e.g. `cdn.example.com` or `https://img.example.com`. */
const domain = z
  .string()
  .refine((v) => v === '' || /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/.test(v), invalid('domain'));

/**
 * A COS region id such as ap-guangzhou, ap-beijing-1 or ap-shanghai-fsi (some carry digits). The one
 * pattern: the settings form, the env parser and the COS adapter (cos-config.ts) must agree, or a value
 * one accepts stops the server at start through the other. It accepts everything the older, letters-only
 * pattern did, so no saved value turns invalid.
 */
export const COS_REGION_PATTERN = /^[a-z]+-[a-z0-9-]+$/;
export const COS_REGION_MESSAGE = VALIDATION_MESSAGES.cos_region;

export const imagesSettings = {
  imageStorageType: spec({
    env: 'IMAGE_STORAGE_TYPE',
    group: 'images',
    envFormat: 'string',
    schema: z.enum(['memory', 'local', 'qiniu', 'tencent']),
    default: { headless: 'memory', tray: 'local' },
    label: { en: 'Image storage', zh: '图片存储方式' },
    help: {
      en: 'Where generated images are kept: memory (lost on restart), local (files in IMAGE_STORAGE_DIR), qiniu or tencent (cloud buckets).',
      zh: '生成图片的存放位置：memory（内存，重启后丢失）、local（本地文件）、qiniu（七牛云）或 tencent（腾讯云 COS）。',
    },
  }),
  memoryMaxImageNumber: spec({
    env: 'MEMORY_MAX_IMAGE_NUMBER',
    group: 'images',
    envFormat: 'integer',
    schema: positiveInt.max(100_000),
    default: 1000,
    label: { en: 'Images kept in memory', zh: '内存中保留的图片数' },
    help: {
      en: 'memory storage: the oldest images are dropped beyond this many.',
      zh: 'memory 模式：超过此数量时丢弃最旧的图片。',
    },
  }),
  memoryMaxImageMb: spec({
    env: 'MEMORY_MAX_IMAGE_MB',
    group: 'images',
    envFormat: 'number',
    schema: z.number().min(1).max(1_000_000),
    default: 256,
    label: { en: 'Memory for images (MB)', zh: '图片占用内存上限（MB）' },
    help: {
      en: 'memory storage: the oldest images are dropped when the images together take more than this.',
      zh: 'memory 模式：图片总大小超过此值时丢弃最旧的图片。',
    },
  }),
  localMaxImageNumber: spec({
    env: 'LOCAL_MAX_IMAGE_NUMBER',
    group: 'images',
    envFormat: 'integer',
    schema: positiveInt.max(10_000_000),
    default: 1000,
    label: { en: 'Images kept on disk', zh: '本地保留的图片数' },
    help: {
      en: 'local storage: the oldest files are removed beyond this many.',
      zh: 'local 模式：超过此数量时删除最旧的文件。',
    },
  }),
  localMaxImageSizeMb: spec({
    env: 'LOCAL_MAX_IMAGE_SIZE_MB',
    group: 'images',
    envFormat: 'number',
    schema: z.number().min(1).max(10_000_000),
    default: 1000,
    label: { en: 'Disk space for images (MB)', zh: '图片占用磁盘上限（MB）' },
    help: {
      en: 'local storage: the oldest files are removed when the images together take more than this.',
      zh: 'local 模式：图片总大小超过此值时删除最旧的文件。',
    },
  }),
  localCleanIntervalSeconds: spec({
    env: 'LOCAL_CLEAN_INTERVAL_SECONDS',
    group: 'images',
    envFormat: 'integer',
    schema: nonNegativeInt.max(86_400 * 30),
    default: 3600,
    label: { en: 'Disk clean-up interval (s)', zh: '本地清理间隔（秒）' },
    help: {
      en: 'local storage: the caps above are enforced at most this often (and at start).',
      zh: 'local 模式：按此间隔（以及启动时）执行上面的数量与大小限制。',
    },
  }),
  imageStorageDir: spec({
    env: 'IMAGE_STORAGE_DIR',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    // No restart: the image service builds a new store when it changes (image-service.ts).
    label: { en: 'Image folder', zh: '图片目录' },
    help: {
      en: 'local storage: folder for the image files. Empty: DATA_DIR/images. Created when missing.',
      zh: 'local 模式：图片文件目录。留空则为 DATA_DIR/images，不存在时自动创建。',
    },
  }),
  qiniuAccessKey: spec({
    env: 'QINIU_ACCESS_KEY',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    secret: true,
    label: { en: 'Qiniu access key', zh: '七牛云 AccessKey' },
    help: { en: 'qiniu storage: your AK.', zh: 'qiniu 模式：你的 AK。' },
  }),
  qiniuSecretKey: spec({
    env: 'QINIU_SECRET_KEY',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    secret: true,
    label: { en: 'Qiniu secret key', zh: '七牛云 SecretKey' },
    help: { en: 'qiniu storage: your SK.', zh: 'qiniu 模式：你的 SK。' },
  }),
  qiniuBucketName: spec({
    env: 'QINIU_BUCKET_NAME',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    label: { en: 'Qiniu bucket', zh: '七牛云空间名称' },
    help: { en: 'qiniu storage: the bucket images are uploaded to.', zh: 'qiniu 模式：上传图片的空间名称。' },
  }),
  qiniuBucketDomain: spec({
    env: 'QINIU_BUCKET_DOMAIN',
    group: 'images',
    envFormat: 'string',
    schema: domain,
    default: '',
    label: { en: 'Qiniu bucket domain', zh: '七牛云外链域名' },
    help: {
      en: 'qiniu storage: the domain image links use, e.g. https://img.example.com (https is assumed without a scheme).',
      zh: 'qiniu 模式：图片链接使用的域名，如 https://img.example.com（不写协议时默认 https）。',
    },
  }),
  qiniuRegion: spec({
    env: 'QINIU_REGION',
    group: 'images',
    envFormat: 'string',
    schema: z.string().refine((v) => /^[a-z0-9-]+$/.test(v), invalid('qiniu_region')),
    default: 'z0',
    label: { en: 'Qiniu region', zh: '七牛云存储区域' },
    help: {
      en: 'qiniu storage: the bucket region (z0 East China, z1 North, z2 South, na0 North America, as0 Southeast Asia).',
      zh: 'qiniu 模式：空间所在区域（z0 华东、z1 华北、z2 华南、na0 北美、as0 东南亚）。',
    },
  }),
  qiniuUploadUrl: spec({
    env: 'QINIU_UPLOAD_URL',
    group: 'images',
    envFormat: 'string',
    schema: optionalHttpUrl,
    default: '',
    label: { en: 'Qiniu upload host', zh: '七牛云上传地址' },
    help: {
      en: 'qiniu storage: override the upload and management host of the region (private deployments, tests). Empty: the region’s own.',
      zh: 'qiniu 模式：覆盖区域默认的上传与管理地址（私有部署、测试用）。留空则使用区域默认地址。',
    },
  }),
  tencentSecretId: spec({
    env: 'TENCENT_SECRET_ID',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    secret: true,
    label: { en: 'Tencent SecretId', zh: '腾讯云 SecretId' },
    help: { en: 'tencent storage: your API SecretId.', zh: 'tencent 模式：访问密钥 SecretId。' },
  }),
  tencentSecretKey: spec({
    env: 'TENCENT_SECRET_KEY',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    secret: true,
    label: { en: 'Tencent SecretKey', zh: '腾讯云 SecretKey' },
    help: { en: 'tencent storage: your API SecretKey.', zh: 'tencent 模式：访问密钥 SecretKey。' },
  }),
  tencentRegion: spec({
    env: 'TENCENT_REGION',
    group: 'images',
    envFormat: 'string',
    schema: z.string().refine((v) => v === '' || COS_REGION_PATTERN.test(v), invalid('cos_region')),
    default: '',
    label: { en: 'COS region', zh: 'COS 地域' },
    help: {
      en: 'tencent storage: the bucket region, e.g. ap-guangzhou (best the same as the server).',
      zh: 'tencent 模式：存储桶地域，如 ap-guangzhou（最好与服务器同地域）。',
    },
  }),
  tencentBucket: spec({
    env: 'TENCENT_BUCKET',
    group: 'images',
    envFormat: 'string',
    schema: z.string(),
    default: '',
    label: { en: 'COS bucket', zh: 'COS 存储桶' },
    help: {
      en: 'tencent storage: the bucket name with its APPID, e.g. images-1250000000.',
      zh: 'tencent 模式：带 APPID 的存储桶名称，如 images-1250000000。',
    },
  }),
  tencentDomain: spec({
    env: 'TENCENT_DOMAIN',
    group: 'images',
    envFormat: 'string',
    schema: domain,
    default: '',
    label: { en: 'COS domain', zh: 'COS 访问域名' },
    help: {
      en: 'tencent storage: domain for image links (CDN or custom). Empty: the bucket’s default domain.',
      zh: 'tencent 模式：图片链接使用的域名（CDN 或自定义域名）。留空则使用存储桶默认域名。',
    },
  }),
  tencentEndpoint: spec({
    env: 'TENCENT_ENDPOINT',
    group: 'images',
    envFormat: 'string',
    schema: optionalHttpUrl,
    default: '',
    label: { en: 'COS upload endpoint', zh: 'COS 上传地址' },
    help: {
      en: 'tencent storage: override the upload endpoint (private deployments, tests). Empty: the bucket’s own.',
      zh: 'tencent 模式：覆盖上传地址（私有部署、测试用）。留空则使用存储桶默认地址。',
    },
  }),
} as const;
