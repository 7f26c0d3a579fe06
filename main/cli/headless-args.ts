/**
 * The headless server's command line: `gemgate [--port N] [--host H] [--data-dir DIR]
 * [--env-file FILE] [--help] [--version]` (also `npm run headless -- …`). Flags become the
 * environment variables they stand for, so one parser (shared/settings-env.ts) reads everything:
 * a flag beats the environment, which beats the .env file, which beats the default.
 */
import { parseArgs } from 'node:util';
import { settingKeys, settingSpecs, defaultFor, helpFor } from '../../shared/settings-schema';

export type HeadlessCommand =
  | { kind: 'run'; env: Record<string, string>; envFile: string | undefined }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

const FLAG_TO_ENV = { port: 'PORT', host: 'HOST', 'data-dir': 'DATA_DIR' } as const;

export function parseHeadlessArgs(argv: readonly string[]): HeadlessCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'env-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    return {
      kind: 'error',
      message: `${err instanceof Error ? err.message : String(err)}\nRun with --help for usage.`,
    };
  }
  const { values } = parsed;
  if (values.help) return { kind: 'help', text: helpText() };
  if (values.version) return { kind: 'version' };
  const env: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAG_TO_ENV)) {
    const value = values[flag as keyof typeof FLAG_TO_ENV];
    if (value !== undefined) env[name] = value;
  }
  return { kind: 'run', env, envFile: values['env-file'] };
}

const showDefault = (value: unknown): string =>
  Array.isArray(value)
    ? value.length
      ? value.join(',')
      : '(empty)'
    : value === ''
      ? '(empty)'
      : String(value);

export function helpText(): string {
  const lines = [
    'Gemgate — an OpenAI-compatible gateway in front of Google Gemini (headless server).',
    '',
    'Usage: gemgate [options]            (or: npm run headless -- [options])',
    '',
    'Options:',
    '  --port <n>          TCP port (PORT)',
    '  --host <address>    listen address (HOST)',
    '  --data-dir <dir>    folder for persisted state (DATA_DIR)',
    '  --env-file <file>   read environment variables from this file (default: ./.env when present)',
    '  -h, --help          this help',
    '  -v, --version       the version',
    '',
    'Precedence: command-line flag > environment variable > .env file > default.',
    'Settings saved in the web admin (/admin) are kept in DATA_DIR and win over the environment.',
    '',
    'Environment variables:',
  ];
  let group = '';
  for (const key of settingKeys) {
    const spec = settingSpecs[key];
    if (spec.group !== group) {
      group = spec.group;
      lines.push('', `  [${group}]`);
    }
    const secret = 'secret' in spec && spec.secret ? ' (secret)' : '';
    lines.push(`  ${spec.env}${secret}  default: ${showDefault(defaultFor(key, 'headless'))}`);
    lines.push(`      ${spec.label.en}. ${helpFor(key, 'headless').en}`);
  }
  return lines.join('\n');
}
