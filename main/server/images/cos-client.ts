/**
 * The `cos-nodejs-sdk-v5` client as the COS store uses it: which host it talks to, and errors in
 * words. v3 only speaks virtual-hosted style (`ForcePathStyle` throws), so an endpoint override is
 * the SDK's `Domain` with the URL's scheme, and the bucket is implied by that host.
 */
import COS from 'cos-nodejs-sdk-v5';

/** Per request; the SDK itself has no limit, and a hung endpoint must not hold a save forever. */
const REQUEST_TIMEOUT_MS = 30_000;

export function createCosClient(secretId: string, secretKey: string, endpoint: string | undefined): COS {
  if (endpoint === undefined || endpoint === '') {
    // `<bucket>.cos.<region>.myqcloud.com` over HTTPS, the SDK's default host.
    return new COS({
      SecretId: secretId,
      SecretKey: secretKey,
      Protocol: 'https:',
      Timeout: REQUEST_TIMEOUT_MS,
    });
  }
  const url = new URL(endpoint);
  return new COS({
    SecretId: secretId,
    SecretKey: secretKey,
    Domain: `${url.protocol}//${url.host}`,
    Protocol: url.protocol === 'http:' ? 'http:' : 'https:',
    Timeout: REQUEST_TIMEOUT_MS,
  });
}

/** The HTTP status of a rejected SDK call, if the service answered. */
export const cosStatus = (err: unknown): number | undefined => {
  const status =
    typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
};

/** `HTTP 403 SignatureDoesNotMatch: <message>` or the network error's message. */
export function describeCosError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { code, message } = err as { code?: unknown; message?: unknown };
  const parts = [
    cosStatus(err) === undefined ? '' : `HTTP ${cosStatus(err)}`,
    typeof code === 'string' && code !== '' && !/^\d+$/.test(code) ? code : '',
  ].filter((part) => part !== '');
  const text = typeof message === 'string' && message !== '' ? message : '';
  if (parts.length === 0) return text || 'unknown error';
  return text === '' ? parts.join(' ') : `${parts.join(' ')}: ${text}`;
}
