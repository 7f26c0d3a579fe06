/**
 * Composition root of the headless server (Docker, Hugging Face Spaces, `npm run headless`, `gemgate`):
 * command line and environment (and a .env file) → settings, data folder, core, HTTP listener,
 * console log, graceful shutdown. The only place besides the Electron shell that reads process.env.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseSettingsFromEnv } from '../shared/settings-env';
import { withPlatformDefaults } from './cli/platform-defaults';
import type { Settings } from '../shared/settings-schema';
import { createConsoleSink } from './cli/console-sink';
import { parseHeadlessArgs } from './cli/headless-args';
import { webAdminDir } from './cli/web-admin-dir';
import { exposedPasswordWarning } from './server/admin/exposed-password';
import { isLoopbackHost } from './server/admin/listener-address';
import { createGatewayCore, type GatewayCore } from './server/core';
import { createServer } from './server/create-server';
import { limitHeapGrowth } from './server/heap-growth';
import { formatLogLine } from './server/logging/format-log-line';
import type { LogEntry } from './server/logging/log-bus';
import { environmentKeys } from './server/settings/environment-keys';
import { FileSettingsSource } from './server/settings/file-settings';
import { VERSION } from './version';

const fail = (message: string, code = 2): never => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

/**
 * The environment the settings are read from: the process environment, filled in (never overridden)
 * from the .env file — as the Python proxy's python-dotenv did — and overridden by command-line flags.
 */
function environment(): {
  env: NodeJS.ProcessEnv;
  envFile: string | undefined;
  notes: string[];
  knownHosts: string[];
} {
  const command = parseHeadlessArgs(process.argv.slice(2));
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${command.text}\n`);
      process.exit(0);
      break;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      process.exit(0);
      break;
    case 'error':
      fail(command.message);
      break;
    case 'run': {
      const envFile = command.envFile ?? (existsSync('.env') ? '.env' : undefined);
      if (envFile !== undefined) {
        if (!existsSync(envFile)) fail(`--env-file: ${envFile} does not exist.`);
        process.loadEnvFile(envFile);
      }
      const platform = withPlatformDefaults({ ...process.env, ...command.env });
      return { env: platform.env, envFile, notes: platform.notes, knownHosts: platform.knownHosts };
    }
  }
  throw new Error('unreachable');
}

function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = parseSettingsFromEnv(env, 'headless');
  if (!parsed.ok)
    return fail(`Gemgate cannot start, the configuration is invalid:\n  ${parsed.errors.join('\n  ')}`);
  return { ...parsed.settings, dataDir: resolve(parsed.settings.dataDir) };
}

function announce(
  core: GatewayCore,
  settings: Settings,
  envFile: string | undefined,
  notes: readonly string[],
): void {
  if (envFile !== undefined) core.log.info(`Environment read from ${envFile}`);
  for (const note of notes) core.log.info(note);
  core.log.info(`${settings.geminiApiKeys.length} Gemini API key(s) configured; data in ${settings.dataDir}`);
  if (settings.geminiApiKeys.length === 0) core.log.warn('No Gemini API keys: set GEMINI_API_KEYS.');
  const exposed = exposedPasswordWarning(settings.host, settings.password);
  if (exposed) core.log.warn(exposed);
}

async function main(): Promise<void> {
  limitHeapGrowth(process.execArgv);
  const { env, envFile, notes, knownHosts } = environment();
  const fromEnv = loadSettings(env);
  mkdirSync(fromEnv.dataDir, { recursive: true });

  // Values saved in the web admin (DATA_DIR/settings.json) win over the environment until reset.
  const source = new FileSettingsSource({
    environment: fromEnv,
    fromEnvironment: environmentKeys(env),
    dir: fromEnv.dataDir,
  });
  const settings = source.get();
  const core = createGatewayCore({ settings: source, version: VERSION, knownHosts });
  // A closed stdout (the reading end of a pipe went away) must not take the server down with EPIPE.
  process.stdout.on('error', () => undefined);
  const sink = createConsoleSink((text) => process.stdout.write(text));
  process.on('exit', () => sink.flush());
  const toConsole = (entry: LogEntry) => sink.add(formatLogLine(entry));
  // Building the core may already have logged (a misconfigured image store): print that first.
  for (const entry of core.log.recent()) toConsole(entry);
  core.log.subscribe(toConsole);
  for (const warning of source.warnings) core.log.warn(warning);
  announce(core, settings, envFile, notes);

  const app = await createServer(core, { rendererDir: webAdminDir(import.meta.url) });
  // Installed before listening: a stop request during start-up must also end cleanly. New
  // connections are refused at once; open requests and streams may finish within the grace period;
  // then usage, access-key counts and the image index are flushed and the process exits 0.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = core.settings.get().shutdownGraceSeconds * 1000;
    core.log.info(`${signal} received: finishing open requests (up to ${graceMs / 1000} s), then exiting.`);
    const finish = (code: number) =>
      core
        .close()
        .catch((err: unknown) =>
          core.log.error(`Shutdown: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => process.exit(code));
    const force = setTimeout(() => {
      core.log.warn('Open requests did not finish in time; closing them.');
      app.server.closeAllConnections();
      void finish(0);
    }, graceMs);
    force.unref();
    app.close().then(
      () => finish(0),
      () => finish(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    // A larger accept queue than Node's 511: a burst of connections (1,000 clients at once) is not
    // dropped into the kernel's one-second SYN retry.
    await app.listen({ host: settings.host, port: settings.port, backlog: 4096 });
  } catch (err) {
    fail(
      `Gemgate could not listen on ${settings.host}:${settings.port}: ${err instanceof Error ? err.message : String(err)}`,
      1,
    );
  }
  const { port } = app.server.address() as AddressInfo;
  const local = isLoopbackHost(settings.host) ? settings.host : '127.0.0.1';
  core.log.info(
    `Gemgate ${VERSION} listening on http://${settings.host}:${port} (OpenAI base URL: http://${local}:${port}/v1)`,
  );
  core.start();
}

void main();
