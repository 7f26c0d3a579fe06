/**
 * `npm run keys -- <command>`: manage access keys from a terminal (headless users have no window).
 *
 * When a gateway answers on --url (default http://127.0.0.1:$PORT), the command goes through its
 * admin API, so the running server sees the change at once. Otherwise the files in DATA_DIR are
 * edited directly — safe, because nothing else is writing them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type {
  AccessKeyDto,
  AccessKeyInput,
  AccessKeyPatch,
  AccessKeyAdmin,
  CreatedAccessKey,
} from '../shared/admin-contract';
import { parseSettingsFromEnv } from '../shared/settings-env';
import { AccessKeyStore } from './server/access/access-keys';
import { createAccessKeyAdmin } from './server/admin/access-key-admin';
import { LogBus } from './server/logging/log-bus';
import { environmentKeys } from './server/settings/environment-keys';
import { FileSettingsSource } from './server/settings/file-settings';

const HELP = `Gemgate access keys · 访问密钥管理

  npm run keys -- list
  npm run keys -- create --name <name> [--limit <n>] [--daily] [--per-minute <n>] [--expires <YYYY-MM-DD | 30d>]
  npm run keys -- update <id> [--name <name>] [--limit <n|none>] [--daily|--no-daily] [--expires <date|never>]
  npm run keys -- disable <id> | enable <id> | reset <id> | revoke <id>

Options: --url <gateway url> (default http://127.0.0.1:$PORT), --data-dir <dir> (default $DATA_DIR or ./data).
The admin password is read from ADMIN_PASSWORD (or PASSWORD).`;

function parseExpiry(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return null;
  const days = /^(\d+)d$/.exec(value);
  if (days) return Date.now() + Number(days[1]) * 86_400_000;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new Error(`--expires: "${value}" is neither a date nor a number of days like 30d`);
  return time;
}

const parseLimit = (value: string | undefined): number | null | undefined =>
  value === undefined ? undefined : value === 'none' ? null : Number(value);

/** The admin contract over HTTP, for a running gateway. */
async function httpAdmin(url: string, password: string): Promise<AccessKeyAdmin> {
  const login = await fetch(`${url}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  if (!login.ok) throw new Error(`admin login failed (${login.status}): check ADMIN_PASSWORD / PASSWORD`);
  const { token } = (await login.json()) as { token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/admin/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new Error(err.error?.message ?? `HTTP ${res.status}`);
    }
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  return {
    listAccessKeys: () => call<AccessKeyDto[]>('GET', '/access-keys'),
    createAccessKey: (input: AccessKeyInput) => call<CreatedAccessKey>('POST', '/access-keys', input),
    updateAccessKey: (id: string, patch: AccessKeyPatch) =>
      call<AccessKeyDto>('PATCH', `/access-keys/${id}`, patch),
    revokeAccessKey: (id: string) => call<void>('DELETE', `/access-keys/${id}`),
  };
}

/** The admin contract straight on DATA_DIR, when no gateway is running. */
function fileAdmin(dataDir: string): AccessKeyAdmin {
  mkdirSync(dataDir, { recursive: true });
  return createAccessKeyAdmin({
    accessKeys: new AccessKeyStore(dataDir, Date.now),
    now: Date.now,
    log: new LogBus(),
  });
}

const row = (k: AccessKeyDto) =>
  [
    k.id,
    k.name.padEnd(16),
    k.preview,
    k.status.padEnd(9),
    `${k.used}/${k.limit ?? '∞'}${k.dailyReset ? ' per day' : ''}`,
    k.expiresAt ? `expires ${new Date(k.expiresAt).toISOString().slice(0, 10)}` : '',
  ].join('  ');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      limit: { type: 'string' },
      daily: { type: 'boolean' },
      'no-daily': { type: 'boolean' },
      'per-minute': { type: 'string' },
      expires: { type: 'string' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, id] = positionals;
  if (!command || values.help) {
    console.log(HELP);
    return;
  }
  const env = parseSettingsFromEnv(process.env, 'headless');
  if (!env.ok) throw new Error(env.errors.join('\n'));
  const dataDir = resolve(values['data-dir'] ?? env.settings.dataDir);
  // The admin password may have been changed in the web admin: saved values win, as in the server.
  const settings = existsSync(dataDir)
    ? new FileSettingsSource({
        environment: env.settings,
        fromEnvironment: environmentKeys(process.env),
        dir: dataDir,
      }).get()
    : env.settings;
  const url = values.url ?? `http://127.0.0.1:${settings.port}`;
  const running = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) }).then(
    (r) => r.ok,
    () => false,
  );
  const admin = running
    ? await httpAdmin(url, settings.adminPassword || settings.password)
    : fileAdmin(dataDir);
  console.error(running ? `(via the running gateway at ${url})` : `(editing ${dataDir})`);

  const need = () => {
    if (!id) throw new Error(`${command} needs an access key id (see "list")`);
    return id;
  };
  switch (command) {
    case 'list': {
      const keys = await admin.listAccessKeys();
      console.log(keys.length ? keys.map(row).join('\n') : 'No access keys yet.');
      return;
    }
    case 'create': {
      if (!values.name) throw new Error('create needs --name');
      const created = await admin.createAccessKey({
        name: values.name,
        limit: parseLimit(values.limit) ?? null,
        dailyReset: values.daily === true,
        perMinute: values['per-minute'] ? Number(values['per-minute']) : null,
        expiresAt: parseExpiry(values.expires) ?? null,
      });
      console.log(`${row(created.record)}\n\nKey (shown only now · 仅显示这一次):\n${created.key}`);
      return;
    }
    case 'update': {
      const patch: AccessKeyPatch = {};
      if (values.name !== undefined) patch.name = values.name;
      const limit = parseLimit(values.limit);
      if (limit !== undefined) patch.limit = limit;
      if (values.daily) patch.dailyReset = true;
      if (values['no-daily']) patch.dailyReset = false;
      const expiresAt = parseExpiry(values.expires);
      if (expiresAt !== undefined) patch.expiresAt = expiresAt;
      console.log(row(await admin.updateAccessKey(need(), patch)));
      return;
    }
    case 'disable':
    case 'enable':
      console.log(row(await admin.updateAccessKey(need(), { enabled: command === 'enable' })));
      return;
    case 'reset':
      console.log(row(await admin.updateAccessKey(need(), { resetUsage: true })));
      return;
    case 'revoke':
      await admin.revokeAccessKey(need());
      console.log(`Revoked ${id}.`);
      return;
    default:
      throw new Error(`Unknown command "${command}".\n\n${HELP}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
